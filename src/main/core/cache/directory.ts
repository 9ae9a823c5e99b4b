import type { Database } from 'better-sqlite3'
import type { Person, Project } from '../../../shared/protocol'
import { json, parseIds, prepared } from './statements'

/** people and projects: the directory the change feed sends. */

interface PersonRow {
  id: string
  role: Person['role']
  name: string
  email: string | null
  portal_access: number
  password_set: number | null
  seq: number
}

interface ProjectRow {
  id: string
  name: string
  stage: Project['stage']
  portal_open: number
  customer_ids: string
  team_ids: string
  storage_used: number
  seq: number
}

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  role: r.role,
  name: r.name,
  email: r.email,
  portalAccess: r.portal_access === 1,
  passwordSet: r.password_set === null ? null : r.password_set === 1,
  seq: r.seq,
})

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  name: r.name,
  stage: r.stage,
  portalOpen: r.portal_open === 1,
  customerIds: parseIds(r.customer_ids),
  teamIds: parseIds(r.team_ids),
  storageUsedBytes: r.storage_used,
  seq: r.seq,
})

export function upsertPerson(db: Database, p: Person): void {
  prepared<PersonRow>(
    db,
    `INSERT INTO people (id, role, name, email, portal_access, password_set, seq) VALUES (@id, @role, @name, @email, @portal_access, @password_set, @seq)
    ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, email = excluded.email, portal_access = excluded.portal_access, password_set = excluded.password_set, seq = excluded.seq
    WHERE excluded.seq >= people.seq`,
  ).run({
    id: p.id,
    role: p.role,
    name: p.name,
    email: p.email,
    portal_access: p.portalAccess ? 1 : 0,
    password_set: p.passwordSet === null ? null : p.passwordSet ? 1 : 0,
    seq: p.seq,
  })
}

export function upsertProject(db: Database, p: Project): void {
  prepared<ProjectRow>(
    db,
    `INSERT INTO projects (id, name, stage, portal_open, customer_ids, team_ids, storage_used, seq)
    VALUES (@id, @name, @stage, @portal_open, @customer_ids, @team_ids, @storage_used, @seq)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, stage = excluded.stage, portal_open = excluded.portal_open,
      customer_ids = excluded.customer_ids, team_ids = excluded.team_ids, storage_used = excluded.storage_used, seq = excluded.seq
    WHERE excluded.seq >= projects.seq`,
  ).run({
    id: p.id,
    name: p.name,
    stage: p.stage,
    portal_open: p.portalOpen ? 1 : 0,
    customer_ids: json(p.customerIds),
    team_ids: json(p.teamIds),
    storage_used: p.storageUsedBytes,
    seq: p.seq,
  })
}

export function listPeople(db: Database): Person[] {
  return prepared<[], PersonRow>(db, 'SELECT * FROM people ORDER BY name').all().map(toPerson)
}

export function listProjects(db: Database): Project[] {
  return prepared<[], ProjectRow>(db, 'SELECT * FROM projects ORDER BY name').all().map(toProject)
}

export function personName(db: Database, id: string): string | undefined {
  return prepared<[string], { name: string }>(db, 'SELECT name FROM people WHERE id = ?').get(id)
    ?.name
}

/** Name and role of each person named, for the customer names of an inbox row. */
export function namesAndRoles(
  db: Database,
  ids: Iterable<string>,
): Map<string, { name: string; role: string }> {
  const list = [...ids]
  const people = new Map<string, { name: string; role: string }>()
  if (!list.length) return people
  const found = db
    .prepare<string[], { id: string; name: string; role: string }>(
      `SELECT id, name, role FROM people WHERE id IN (${list.map(() => '?').join(',')})`,
    )
    .all(...list)
  for (const p of found) people.set(p.id, p)
  return people
}
