import { readFileSync } from 'node:fs';
import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import { compileMatcher } from '../lambda/core/match';
import { TopicModel } from '../lambda/core/topic-model';
import { learnVerdicts } from '../lambda/core/topic-profile';
import { itemTopicTerms } from '../lambda/core/topic-terms';
import { TOPIC_SEED } from '../lambda/pipeline/topic-learning';
const NOW = Date.now();
const w = loadWatchlist();
const c = compileMatcher(w.entities);
const base = c.withTopics(TopicModel.build(w.entities, { seed: TOPIC_SEED, now: NOW }));
const rows = ['bare-tune','bare-heldout'].flatMap(f=>readFileSync(`test/fixtures/headlines/${f}.jsonl`,'utf8').trim().split('\n').map(l=>JSON.parse(l)));
const got = (m:any, r:any) => m.match({title:r.title}).map((x:any)=>x.entityId);
const fps = rows.filter(r => { const g = got(base,r); return g.some((e:string)=>!r.expected.includes(e)); });
for (const fp of fps) {
  const wrong = got(base,fp).filter((e:string)=>!fp.expected.includes(e));
  const learned = wrong.map((e:string)=>learnVerdicts(undefined, e, [{alertId:'a', terms:itemTopicTerms(fp)}], NOW));
  const m = c.withTopics(TopicModel.build(w.entities, { seed: TOPIC_SEED, learned, now: NOW }));
  const lost = rows.filter(r => r.expected.length>0 && got(base,r).filter((e:string)=>r.expected.includes(e)).length > got(m,r).filter((e:string)=>r.expected.includes(e)).length);
  console.log(JSON.stringify(fp.title), wrong, 'after:', got(m,fp), 'lost:', lost.map(r=>r.title));
}
