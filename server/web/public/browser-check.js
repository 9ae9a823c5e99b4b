// The portal's browser check: a classic script, written in ES5, so that a browser too old for the
// page itself (ES2020 modules) still runs it and tells the person why the page stays empty, in
// the help page's words ("Browser is up to date"). It runs before the page's own module.
/* global window, document, location */
;(function () {
  'use strict'
  var missing = []
  var script = document.createElement('script')
  if (!('noModule' in script) || typeof globalThis === 'undefined' || !window.Promise)
    missing.push('modern JavaScript')
  else if (!Promise.allSettled || !String.prototype.matchAll || typeof BigInt === 'undefined')
    missing.push('modern JavaScript')
  if (typeof window.fetch !== 'function') missing.push('fetch')
  if (typeof window.WebSocket !== 'function') missing.push('live updates (WebSocket)')
  var loadFailed = false
  var CANNOT_OPEN = 'Your browser can’t open the client portal'
  var NO_COOKIES = 'Cookies are blocked for this site'
  var NOT_STARTED = 'The client portal did not start'
  var UP_TO_DATE =
    'Make sure your browser is up to date: use the newest Chrome, Edge, Firefox or Safari, then open this page again.'
  var BOX_STYLE =
    'max-width:36rem;margin:2rem auto;padding:1rem 1.25rem;border:2px solid #c92a2a;' +
    'border-radius:8px;font:16px/1.5 system-ui,sans-serif;color:#1a1b1e;background:#fff5f5'

  function show(title, text) {
    if (document.getElementById('browser-check')) return
    var box = document.createElement('div')
    box.id = 'browser-check'
    box.setAttribute('role', 'alert')
    box.setAttribute('style', BOX_STYLE)
    var heading = document.createElement('h1')
    heading.setAttribute('style', 'font-size:1.25rem;margin:0 0 .5rem')
    heading.appendChild(document.createTextNode(title))
    var para = document.createElement('p')
    para.setAttribute('style', 'margin:0')
    para.appendChild(document.createTextNode(text))
    box.appendChild(heading)
    box.appendChild(para)
    document.body.insertBefore(box, document.body.firstChild)
  }

  // Each problem as an object, not call arguments: prettier would end broken-up arguments with a
  // comma, which browsers before 2017 cannot parse (an object's trailing comma is ES5).
  function problem() {
    if (missing.length)
      return {
        title: CANNOT_OPEN,
        text:
          'This browser lacks what the portal needs (' + missing.join(', ') + '). ' + UP_TO_DATE,
      }
    if (!navigator.cookieEnabled)
      return {
        title: NO_COOKIES,
        text:
          'The portal keeps you signed in with a cookie. Allow cookies for ' +
          location.hostname +
          ' in your browser’s settings, then reload this page.',
      }
    // The page's module marks the document once it runs; if it never did, it could not start here.
    if (document.documentElement.getAttribute('data-portal') === 'started') return null
    if (loadFailed)
      return {
        title: NOT_STARTED,
        text: 'The page did not finish loading. Check your internet connection, then reload this page.',
      }
    return { title: NOT_STARTED, text: 'This browser could not run the portal page. ' + UP_TO_DATE }
  }

  function check() {
    var found = problem()
    if (found) show(found.title, found.text)
  }

  function loadError(event) {
    if (event.target && event.target.tagName === 'SCRIPT') loadFailed = true
  }
  // Captured: a script that fails to load reports on itself, and errors of elements do not bubble.
  window.addEventListener('error', loadError, true)
  window.addEventListener('load', check)
})()
