import { loadWatchlist } from '../lambda/adapters/watchlist-file';
import { compileMatcher } from '../lambda/core/match';
import { TopicModel } from '../lambda/core/topic-model';
import { TOPIC_SEED } from '../lambda/pipeline/topic-learning';
const w = loadWatchlist();
const m = compileMatcher(w.entities).withTopics(TopicModel.build(w.entities, { seed: TOPIC_SEED, now: Date.now() }));
for (const [t, s] of [
 ['Krebs Brewing marks 100 years of Choc beer in Oklahoma', 'The brewery in Krebs, Oklahoma celebrates a century of Choc beer with a festival.'],
 ['Krebs Brewing fined over beer label rules', 'State regulators fined the Oklahoma brewery over its Choc beer labels.'],
 ['Krebs Brewing sues distributor over unpaid beer invoices', 'The Oklahoma brewery says the distributor owes it for Choc beer.'],
 ['Krebs Brewing warns of counterfeit Choc beer sold online', 'The Oklahoma brewery says fake bottles of its beer are sold on websites.'],
 ['Krebs beer festival in Oklahoma draws voters to polls', ''],
 ['Krebs beer festival in Oklahoma draws crowds', 'The Choc beer festival drew thousands of visitors to the brewery.'],
] as [string,string][]) {
  const r = m.match({ title: t, summary: s });
  console.log(JSON.stringify(t), JSON.stringify(r.map(x=>[x.entityId, x.evidence.map(e=>e.topic && [e.topic.score, e.topic.terms.slice(0,6).map(q=>q.term+q.weight)])])));
}
