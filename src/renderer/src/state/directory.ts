// The company's directory as the cache holds it: people, projects and the portal's settings.
import { useQuery } from '@tanstack/react-query'
import type { IpcResults } from '../../../shared/ipc'
import type { Person, Project } from '../../../shared/protocol'
import { engineQuery } from '../data/queries'

interface Listed<T> {
  list: T[]
  byId: Map<string, T>
}
const noPeople: Listed<Person> = { list: [], byId: new Map() }
const noProjects: Listed<Project> = { list: [], byId: new Map() }
// Module-level, so each observer builds its map once per answer, not once per render.
const withIds = <T extends { id: string }>(list: T[]): Listed<T> => ({
  list,
  byId: new Map(list.map((item) => [item.id, item])),
})

export function usePeople(): { people: Person[]; peopleById: Map<string, Person> } {
  const { data = noPeople } = useQuery({ ...engineQuery('listPeople', {}), select: withIds })
  return { people: data.list, peopleById: data.byId }
}

export function useProjects(): { projects: Project[]; projectsById: Map<string, Project> } {
  const { data = noProjects } = useQuery({ ...engineQuery('listProjects', {}), select: withIds })
  return { projects: data.list, projectsById: data.byId }
}

/** What the portal allows (all of it for admins, the public part for others); null until known. */
export function useSettings(): IpcResults['getSettings'] {
  return useQuery(engineQuery('getSettings', {})).data ?? null
}
