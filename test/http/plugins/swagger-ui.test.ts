// Swagger UI in a real browser: an editor authorizes with a key and creates an
// Arabic article with "Try it out".
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { test } from 'tap'
import { chromium, type Browser, type Page } from 'playwright-core'
import { bearer, build, json } from '../../helper.ts'

const CHROMIUM = '/usr/bin/chromium'
const REMOTE_HOST = 'khabar.test'
const TITLE = 'قوات النظام تبدأ حملة على داعش جنوب دمشق (فيديو)'
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} does not exist; the Swagger UI test needs Chromium`

test('Swagger UI: authorize with an editor key and create an Arabic article', { skip, timeout: 60_000 }, async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: 20_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // A name that is not localhost, as a deployed server has, still on this machine.
      `--host-resolver-rules=MAP ${REMOTE_HOST} 127.0.0.1`]
  })
  t.teardown(async () => await browser.close())
  const page: Page = await browser.newPage()
  page.setDefaultTimeout(10_000)

  // Whatever the page cannot load, or the browser refuses, is a failure to report.
  const problems: string[] = []
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`) })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`))
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`) })

  const screenshot = join(tmpdir(), `khabar-swagger-ui-${process.pid}.png`)
  t.teardown(async () => {
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {})
    t.comment(`screenshot: ${screenshot}`)
  })

  await page.goto(`${base}/docs`, { waitUntil: 'load', timeout: 15_000 })
  const operation = page.locator('#operations-articles-createArticle')
  await operation.waitFor({ state: 'attached', timeout: 15_000 })

  // Authorize: the bearer scheme takes the key.
  await page.locator('.scheme-container button.authorize').click()
  const dialog = page.locator('.modal-ux')
  await dialog.waitFor()
  t.match(await dialog.innerText(), /bearerAuth/)
  await dialog.locator('input').first().fill(app.editorKey)
  await dialog.locator('button.modal-btn.auth.authorize').click()
  await dialog.locator('button', { hasText: 'Logout' }).waitFor()
  await dialog.locator('button.btn-done').click()
  await dialog.waitFor({ state: 'detached' })
  t.match(await page.locator('.scheme-container button.authorize').getAttribute('class'), /locked/, 'the UI shows it is authorized')

  // POST /v1/articles, Try it out, an Arabic body, Execute.
  await operation.locator('.opblock-summary').first().click()
  const tryOut = operation.locator('button.try-out__btn')
  await tryOut.waitFor()
  if ((await tryOut.innerText()).trim() === 'Try it out') await tryOut.click()
  const body = operation.locator('textarea.body-param__text')
  await body.waitFor()
  t.notOk(await body.isDisabled(), 'the body is editable')
  await body.fill(JSON.stringify({ title: TITLE, status: 'published' }, null, 2))
  await operation.locator('button.execute').click()

  const response = operation.locator('.live-responses-table .response').first()
  await response.waitFor({ timeout: 15_000 })
  const status = (await response.locator('.response-col_status').innerText()).trim()
  t.equal(status, '201', 'the response panel shows 201')
  const shown = await response.locator('.response-col_description pre, .response-col_description code').first().innerText()
  const created = JSON.parse(shown)
  t.equal(created.title, TITLE, 'the Arabic title comes back intact')
  t.equal(created.lang, 'ar')
  t.equal(created.dir, 'rtl')

  // The curl Swagger UI shows carries the key as a bearer token.
  const curl = await operation.locator('.curl-command, .request-url').first().innerText().catch(() => '')
  t.comment(`Swagger UI request: ${curl.slice(0, 200).replace(app.editorKey, '<editor key>')}`)

  // The article exists with that exact title, for readers too.
  const fetched = await app.inject({ method: 'GET', url: `/v1/articles/${created.id as number}` })
  t.equal(fetched.statusCode, 200)
  t.equal(json(fetched).title, TITLE)
  t.equal(json(fetched).status, 'published')
  const bySlug = await app.inject({ method: 'GET', url: `/v1/articles/${encodeURIComponent(created.slug as string)}`, headers: bearer(app.editorKey) })
  t.equal(bySlug.statusCode, 200, 'and by its slug')

  t.same(problems, [], 'the page loaded everything and the browser refused nothing')

  // Served over plain http under a name other than localhost, the UI still loads all it
  // needs from the same origin (no upgrade to https) and lists the operations.
  problems.length = 0
  const remote = await browser.newPage()
  remote.setDefaultTimeout(10_000)
  remote.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`) })
  remote.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`))
  await remote.goto(`http://${REMOTE_HOST}:${port}/docs`, { waitUntil: 'load', timeout: 15_000 })
  const listed = await remote.locator('#operations-articles-createArticle').waitFor({ state: 'attached', timeout: 15_000 })
    .then(() => true, () => false)
  t.ok(listed, `Swagger UI renders at http://${REMOTE_HOST}:${port}/docs`)
  t.same(problems, [], `nothing failed at http://${REMOTE_HOST}`)
  await remote.close()
})
