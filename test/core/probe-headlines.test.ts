// Bare names in a reviewer's headlines written to break the matcher: the lost and wrong stay within the documented counts.
import { loadWatchlist } from '../../lambda/adapters/watchlist-file';
import { compileMatcher } from '../../lambda/core/match';
import { TopicModel } from '../../lambda/core/topic-model';
import { TOPIC_SEED } from '../../lambda/pipeline/topic-learning';
import { loadHeadlines, score } from '../support/headline-sets';

const { entities } = loadWatchlist();
const matcher = compileMatcher(entities).withTopics(TopicModel.build(entities, { seed: TOPIC_SEED, now: 0 }));

describe('a reviewer’s bare-name headlines (docs/matching.md)', () => {
  const scores = score(loadHeadlines('probe', 'tune'), (headline) =>
    matcher.match(headline).map((match) => match.entityId),
  );

  it('loses at most 153 of their 575 (entity, headline) pairs, none for a surname that modifies a legislature or a state body', () => {
    expect(scores.tp + scores.fn).toBe(575);
    expect(scores.fn).toBeLessThanOrEqual(153);
    const lost = scores.lost.map(({ headline }) => headline.title);
    expect(lost).not.toContain('Krebs Senate testimony revives fight over 2020 vote');
    expect(lost).not.toContain('Senators grill Trump CISA pick over election role');
    expect(lost).not.toContain('Raffensperger State Election Board feud heads to court');
    expect(lost).not.toContain("Trump tells reporter Raffensperger is a 'loser'");
    // The second reviewer's: a verb read as an honorific, a party before the name, a relative, a source.
    expect(lost).not.toContain('History will judge Krebs kindly, former colleagues say');
    expect(lost).not.toContain('Georgia Republican Sterling rejects fraud claims');
    expect(lost).not.toContain('Masterson and wife Sarah Masterson on life after the death threats');
    expect(lost).not.toContain('Sterling: disinformation is the biggest threat to our elections');
    expect(lost).not.toContain("Sterling — record turnout shows voters trust Georgia's system");
    expect(lost).not.toContain('On Capitol Hill Krebs finds few defenders after Trump memo');
    // The third reviewer's: a name and what the person did there after the surname, a relative after a comma.
    expect(lost).not.toContain('Krebs Netflix interview draws fresh Trump fire');
    expect(lost).not.toContain('Raffensperger Kemp rift deepens over election board - Georgia Recorder');
    expect(lost).not.toContain('Raffensperger Emory speech interrupted by protesters - The Emory Wheel');
    expect(lost).not.toContain('Masterson and his wife, Jennifer Masterson, give to Cincinnati poll-worker fund');
    // The agency in generic news words that only people's namesakes taught the pool, and a figure read whole.
    expect(lost).not.toContain('CISA budget hits record low in House spending bill - Roll Call');
    expect(lost).not.toContain('CISA moves to cut 1,300 jobs - Bloomberg');
    // A possessive, an event or a deal after the surname, and a pastime, are no one else's.
    expect(lost).not.toContain("Is Masterson Microsoft's loss and Stanford's gain? - GeekWire");
    // The fifth reviewer's: an opening place or time without its comma, a given name's town too; the agency's domain.
    expect(lost).not.toContain('In Austin Krebs tells SXSW crowd AI will test democracy');
    expect(lost).not.toContain('Days after Helene Sterling says every polling place will open on time');
    expect(lost).not.toContain('In Douglas Raffensperger faces angry crowd over Coffee County breach');
    expect(lost).not.toContain('Outage knocks cisa.gov offline during shutdown');
    expect(lost).not.toContain('Trump Attacks Krebs amid Feud about Memo');
    expect(lost).not.toContain('Spanberger thanks fellow Virginian Krebs for endorsement');
    expect(lost).not.toContain(
      'Raffensperger Masters week: patrons urged to register to vote at Augusta - The Augusta Chronicle',
    );
    expect(lost).not.toContain("Krebs, an avid cyclist, pedals across Virginia for veterans' charity");
    // A show or another person before the surname and the deed, a relative after a list, a quoted nickname.
    expect(lost).not.toContain('Inside the Musk Krebs feud over DOGE data');
    expect(lost).not.toContain("Face the Nation Masterson interview: 'Paper is the backstop'");
    expect(lost).not.toContain('Masterson, kids Emma and Noah Masterson volunteer as Ohio poll workers');
    expect(lost).not.toContain("'Coach Raffensperger' mentors Johns Creek robotics team to state title");
    expect(lost).not.toContain('DHS Undersecretary Krebs: Russia still probing state voter systems');
  });

  it('lets in at most 97 of their 224 look-alikes', () => {
    expect(scores.fp).toBeLessThanOrEqual(97);
  });
});
