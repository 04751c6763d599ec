import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'tap'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { build, bearer, json, sqliteOf, tempDir } from '../helper.ts'
import { assertProblem } from '../factories.ts'
import { MIGRATIONS_FOLDER, openDatabase } from '../../src/storage/sqlite/database.ts'
import { backfillCanonicalUrls } from '../../src/storage/sqlite/media-backfill.ts'

const CANONICAL_MIGRATION = '0007_media_canonical_url'
const YT = 'dQw4w9WgXcQ'

// A database as the release before canonical media URLs left it: every migration up to
// 0006 applied, and rows the new rules would call duplicates.
function oldDatabase (dir: string): string {
  const folder = join(dir, 'migrations')
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true })
  rmSync(join(folder, `${CANONICAL_MIGRATION}.sql`))
  const journalPath = join(folder, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> }
  const at = journal.entries.findIndex(e => e.tag === CANONICAL_MIGRATION)
  journal.entries = journal.entries.slice(0, at)
  writeFileSync(journalPath, JSON.stringify(journal))

  const path = join(dir, 'old.db')
  const { sqlite, db } = openDatabase(path)
  migrate(db, { migrationsFolder: folder })
  const media = sqlite.prepare(`INSERT INTO media (url, kind, provider, embed_url, created_at, updated_at)
    VALUES (?, ?, ?, ?, 1, 1)`)
  media.run(`https://www.youtube.com/watch?v=${YT}`, 'video', 'youtube', `https://www.youtube.com/embed/${YT}`) // 1
  media.run(`https://youtu.be/${YT}`, 'video', 'youtube', `https://www.youtube.com/embed/${YT}`) // 2: the same video
  media.run(`https://m.youtube.com/watch?v=${YT}&t=10`, 'video', 'youtube', `https://www.youtube.com/embed/${YT}?start=10`) // 3: again
  media.run('https://cdn.example.com/a.jpg', 'image', 'other', null) // 4
  media.run('https://cdn.example.com/a.jpg#top', 'image', 'other', null) // 5: the same image
  const category = sqlite.prepare('INSERT INTO categories (slug, name, parent_id, created_at, updated_at) VALUES (?, ?, ?, 1, 1)')
  category.run('politics', 'سياسة', null) // 1
  category.run('politics-2', 'سياسة', null) // 2: the same name at the top level
  category.run('politics-3', ' سياسة ', null) // 3: and once more, spaced
  category.run('sport', 'رياضة', null) // 4
  category.run('local', 'محليات', 1) // 5
  category.run('local-2', 'محليات', 1) // 6: the same name under one parent
  sqlite.prepare("INSERT INTO articles (slug, title, created_at, updated_at) VALUES ('old', 'خبر قديم', 1, 1)").run()
  sqlite.prepare("INSERT INTO article_media (article_id, media_id, role, position) VALUES (1, 2, 'featured', 0)").run()
  sqlite.close()
  return path
}

test('a database holding duplicates upgrades: the oldest item keeps the canonical URL, later ones keep working', async (t) => {
  const path = oldDatabase(tempDir(t))
  const canonicals = (app: Parameters<typeof sqliteOf>[0]): unknown[] =>
    sqliteOf(app).prepare('SELECT id, canonical_url AS canonicalUrl FROM media ORDER BY id').all()

  await t.test('first start: migrated and filled', async (t) => {
    const app = await build(t, { DATABASE_PATH: path })
    t.same(canonicals(app), [
      { id: 1, canonicalUrl: `https://www.youtube.com/watch?v=${YT}` },
      { id: 2, canonicalUrl: null },
      { id: 3, canonicalUrl: null },
      { id: 4, canonicalUrl: 'https://cdn.example.com/a.jpg' },
      { id: 5, canonicalUrl: null }
    ], 'the first of each thing gets its canonical URL; later duplicates are left without')
    const h = bearer(app.editorKey)
    t.same(json(await app.inject('/v1/media?limit=100')).data.map((m: any) => m.id), [5, 4, 3, 2, 1], 'every old item is still there')
    t.same(json(await app.inject({ url: '/v1/articles/1/media', headers: h })).data.map((m: any) => m.id), [2], 'and still attached')

    const post = async (url: string) => await app.inject({ method: 'POST', url: '/v1/media', headers: h, payload: { url } })
    const patch = async (id: number, payload: object) => await app.inject({ method: 'PATCH', url: `/v1/media/${id}`, headers: h, payload })
    t.equal(assertProblem(t, await post(`https://www.youtube.com/shorts/${YT}`), 409, 'a new form of an old video').existingId, 1)
    t.equal(assertProblem(t, await post('https://cdn.example.com/a.jpg#bottom'), 409, 'of an old image').existingId, 4)
    t.equal((await patch(2, { title: 'مكرر' })).statusCode, 200, 'a later duplicate can still be changed')
    t.equal((await patch(2, { url: `https://youtu.be/${YT}` })).statusCode, 200, 'its own URL again is no change')
    t.equal(assertProblem(t, await patch(2, { url: `https://www.youtube.com/embed/${YT}` }), 409, 'another form of the first').existingId, 1)
    t.equal(assertProblem(t, await patch(1, { url: `https://youtu.be/${YT}` }), 409, 'the URL a later duplicate has').existingId, 2)
    t.equal((await app.inject({ method: 'DELETE', url: '/v1/media/1', headers: h })).statusCode, 204)
  })

  await t.test('next start: a duplicate whose first item is gone takes its place', async (t) => {
    const app = await build(t, { DATABASE_PATH: path })
    t.same(canonicals(app), [
      { id: 2, canonicalUrl: `https://www.youtube.com/watch?v=${YT}` },
      { id: 3, canonicalUrl: null },
      { id: 4, canonicalUrl: 'https://cdn.example.com/a.jpg' },
      { id: 5, canonicalUrl: null }
    ])
    const res = await app.inject({ method: 'POST', url: '/v1/media', headers: bearer(app.editorKey), payload: { url: `https://youtu.be/${YT}?si=x` } })
    t.equal(assertProblem(t, res, 409, 'now refused for the second').existingId, 2)
    t.same(backfillCanonicalUrls(sqliteOf(app)), { filled: 0, duplicates: 2 }, 'another pass finds only the duplicates left')
  })

  await t.test('old categories sharing a name keep working; a rename or move onto a name is refused', async (t) => {
    const app = await build(t, { DATABASE_PATH: path })
    const h = bearer(app.editorKey)
    const patch = async (id: number, payload: object) => await app.inject({ method: 'PATCH', url: `/v1/categories/${id}`, headers: h, payload })
    t.same(json(await app.inject('/v1/categories')).data.map((c: any) => c.id), [1, 2, 3, 4, 5, 6], 'all of them listed')
    t.equal((await patch(2, { description: 'وصف', position: 2 })).statusCode, 200, 'a change that is no rename or move')
    t.equal((await patch(3, { slug: 'politics-old' })).statusCode, 200, 'a new slug')
    t.equal((await patch(6, { name: 'محليات' })).statusCode, 200, 'its own name again')
    const rename = assertProblem(t, await patch(4, { name: 'سياسة' }), 409, 'renamed onto a name at the top level')
    t.equal(rename.type, 'urn:khabar:problem:category-exists')
    t.equal(rename.existingId, 1, 'the first that has it')
    t.equal((await patch(5, { parentId: 4 })).statusCode, 200, 'one of a pair moved elsewhere')
    t.equal(assertProblem(t, await patch(6, { parentId: 4 }), 409, 'the other moved after it').existingId, 5)
    const apart = await patch(2, { name: 'سياسة دولية' })
    t.equal(apart.statusCode, 200, 'a duplicate renamed apart')
    t.equal(assertProblem(t, await app.inject({ method: 'POST', url: '/v1/categories', headers: h, payload: { name: 'سياسة' } }), 409, 'a new one').existingId, 1)
  })
})
