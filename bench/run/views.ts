// The write route npm run bench measures: posting views, spread over many articles, each
// from a different user agent so that the per-client dedupe counts them all.
import { sampleIds, type Scenario } from './scenario.ts'

// How many articles the views are spread over.
const VIEW_SET = 10_000

export function viewScenarios (): Scenario[] {
  const viewIds = sampleIds(VIEW_SET, 11)
  return [
    {
      key: 'views',
      label: '`POST /v1/articles/{id}/views`',
      server: 'khabar',
      method: 'POST',
      paths: viewIds.map(id => `/v1/articles/${id}/views`),
      uniqueAgent: true,
      minRatio: 0.8,
      maxP99: 25,
      about: `cycles over ${viewIds.length} article ids with a different user agent on every request`
    }
  ]
}
