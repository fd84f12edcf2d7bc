// Whether an item reports the same event as a story's item: shared rare event words, never the person's name or title.

import { CONVERSE_ACTS, GROUPS, NAMED_ACT_TERMS, ONCE_ACTS, STAGE_ACT_TERMS } from './story-act-kinds';
import { isReaction } from './story-clauses';
import {
  entitiesNamed,
  eventTerms,
  factTerms,
  ROLE_TERMS,
  type StoryContext,
  sameEventHeadline,
  termSet,
  total,
  type WeightedTerm,
  weighed,
} from './story-context';
import { COURT_LEVEL_NAMES, otherWay } from './story-markers';
import { otherOrder, slotChange } from './story-order';
import { doers, namesNoOne, peopleApart, rolesOfSameAct } from './story-people';
import { type ActRoles, orderedTitle, type StorySignature } from './story-terms';
import { ACT_TERMS, STATE_TERMS, statesNamed } from './story-words';

/** Words naming a kind of body or place, which both sides of a suit can carry ("county", "state", "Senate"). */
const BODY_WORDS = termSet('county counties state senate house assembly committee election elections board');
/** A place or a body's kind, never someone: a body word, a role, or a county either signature names. */
const placeOrBody = (term: string, sigs: readonly StorySignature[]) =>
  BODY_WORDS.has(term) || ROLE_TERMS.has(term) || sigs.some((of) => of.counties?.includes(term));
/** Event terms at or above this Jaccard similarity are the same copy: the wire story, republished or retitled. */
export const NEAR_DUPLICATE = 0.6;
/**
 * An item joins a story only if its headline adds less than this weight of event terms the story never mentioned,
 * whatever else it shares: "Trump ousts Krebs" after "Trump fires Krebs" is the same firing, but "Trump fires Krebs's
 * deputy" (one rare word more) is not.
 */
export const SAME_ACT_NOVELTY = 0.9;
/** ...and the act is at least this rare: an act in every other headline of the news read ("says") names no event. */
export const SAME_ACT_WEIGHT = 0.1;
/** A capitalized headline word this rare (the full weight) names what the item is about (otherNames). */
export const NAME_WEIGHT = 1;
/** Summed weight of shared event terms (each 0..1 by rarity) that joins an item to a story. */
export const JOIN_WEIGHT = 1.5;
/** ...of which this much in terms both headlines name (the item's and the story item's). */
export const TITLE_WEIGHT = 1;
/** ...of which the story's first item must share this much, so a chain of neighbours cannot drift to a new event. */
export const ORIGIN_WEIGHT = 1;

export interface JoinEvidence {
  joins: boolean;
  /**
   * Why it joins: the same copy, the same act with nothing new, or rare event terms shared; `own-story`: the story the
   * item started on an attempt whose alert failed, alerted since by another report of it.
   */
  reason?: 'near-duplicate' | 'same-act' | 'reaction' | 'rare-event-terms' | 'own-story';
  /** Summed weight of the shared event terms. */
  weight: number;
  /** Event terms shared with the story's item, rarest first, with their weights. */
  shared: WeightedTerm[];
  /** Acts one side names that the other never mentions: another development, so no join. */
  newActs: string[];
  /** States the item's headline names when the story's headlines name another (another state's event): no join. */
  otherPlaces: string[];
  /**
   * Rare names the item's headline capitalizes that the story never mentions, when the story's headlines also name
   * rare ones the item does not (Dominion against ES&S): each is about something else, so no join. A join on shared
   * rare words alone is refused for one such name on the item's side ("Simon & Schuster" after his op-ed).
   */
  otherNames: string[];
  /** Rare words of the item's headline in place of the story headlines' own ("machine" for "hand"): no join. */
  swapped: string[];
}

function sharedSorted(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return a.filter((term) => other.has(term));
}

/** What a story told: the terms of its item, of its first item and of every other item the caller knows of. */
export const storyTold = (
  member: StorySignature,
  origin: StorySignature,
  storyTerms: readonly string[] = [],
): ReadonlySet<string> => new Set([...member.terms, ...origin.terms, ...storyTerms]);

/** What a signature's headline names only as background: its epithets and its trailing clause. */
const backgroundOf = (sig: StorySignature): string[] => [...(sig.epithets ?? []), ...(sig.clause ?? [])];

/**
 * Whether `item` reports the event of the story whose item is `member` and whose first item is `origin`. Asymmetric:
 * it joins only on strong evidence (the same copy, or rare event terms shared with both), and never when the item's
 * headline names an act the story does not mention. When unsure it does not join: a wrong split costs one extra line,
 * a wrong join an alert the user never gets.
 */
export function joinEvidence(
  item: StorySignature,
  member: StorySignature,
  origin: StorySignature,
  context: StoryContext,
  /** Terms of every item of the story the caller knows of (its rows among the candidates): what the story told. */
  storyTerms: readonly string[] = [],
): JoinEvidence {
  const itemEvent = eventTerms(item.terms, context);
  const memberEvent = eventTerms(member.terms, context);
  const shared = weighed(sharedSorted(itemEvent, memberEvent), context);
  const weight = Math.round(total(shared) * 100) / 100;
  const told = storyTold(member, origin, storyTerms);
  // Whatever its rarity: a new act is a new development even when the news is full of such acts.
  // An act the story names only as background (an epithet, a trailing clause: "death threats amid recount") is not told.
  // So is an act it reports as said ("Masterson tells House panel audits confirmed the vote"): a recap, not the event.
  const storySigs = [member, origin];
  const background = new Set(storySigs.flatMap((sig) => [...backgroundOf(sig), ...(sig.said ?? [])]));
  const actTold = (term: string) => told.has(term) && !background.has(term);
  // The item's own epithets and trailing clause are its background too ("subpoena DHS over Krebs dismissal").
  const itemBackground = new Set(backgroundOf(item));
  const newActs = item.title.filter((term) => ACT_TERMS.has(term) && !actTold(term) && !itemBackground.has(term));
  const addNewAct = (term: string) => {
    if (!newActs.includes(term)) newActs.push(term);
  };
  // An act coverage always names, named anywhere in the item's lead, is its news when the story never told it: "Krebs
  // tells senators he was fired" whose summary says "testifying before the Senate" is the testimony, not the firing.
  for (const term of item.terms) {
    if (NAMED_ACT_TERMS.has(term) && !told.has(term)) addNewAct(term);
  }
  // And the other way round, so the order reports arrive in matters less: a story whose first headline names an act
  // its coverage always names ("sues") is another development than an item never mentioning it ("should be shot").
  const itemSaid = new Set(item.terms);
  const originEpithets = new Set(backgroundOf(origin));
  for (const term of origin.title) {
    const alwaysNamed = NAMED_ACT_TERMS.has(term) || STAGE_ACT_TERMS.has(term);
    if (alwaysNamed && !originEpithets.has(term) && !itemSaid.has(term)) addNewAct(term);
  }
  // An act the story's headlines only announced ("to testify Tuesday") that the item reports done ("testified") is the
  // announced event happening: another development.
  const onlyPlanned = (term: string) =>
    storySigs.some((sig) => sig.title.includes(term)) &&
    storySigs.every((sig) => !sig.title.includes(term) || sig.planned?.includes(term));
  // Any word of the headline, not only an act: "Georgia GOP committee votes to censure" after "... to vote on censuring";
  // never a place or a name ("seeking to void Georgia result" plans no Georgia).
  const headlineEvent = new Set(
    eventTerms(item.title, context).filter((term) => !STATE_TERMS.has(term) && !item.names?.includes(term)),
  );
  for (const term of item.terms) {
    const act = ACT_TERMS.has(term) || headlineEvent.has(term);
    if (act && !item.planned?.includes(term) && onlyPlanned(term)) addNewAct(term);
  }
  // A repeat the story's headlines never mark is the act happening again: "testifies again", "second recount".
  const storyRepeats = new Set(storySigs.flatMap((sig) => sig.repeats ?? []));
  for (const marker of item.repeats ?? []) if (!storyRepeats.has(marker)) addNewAct(marker);
  // A denial after the claim, or the claim after a denial, is another development: "CISA says its networks were
  // breached" after "... were not breached", "Easterly plans to leave CISA" after "Easterly denies plans to leave".
  if (item.negated ? storySigs.every((sig) => !sig.negated) : storySigs.every((sig) => sig.negated)) addNewAct('not');
  // A decision after the act was only weighed: "Trump to fire Krebs" after "Trump weighs firing Krebs".
  // And a decision flipped: "Georgia will recount" after "Georgia won't recount".
  const flipped = (mood: string | undefined) =>
    item.mood === 'refused'
      ? mood === 'decided'
      : item.mood === 'decided' && (mood === 'weighed' || mood === 'refused');
  if (item.mood && storySigs.every((sig) => flipped(sig.mood))) addNewAct(item.mood);
  // A decision for someone after one against them, or the other way round: "Judge rules for Jena Griswold".
  const whom = item.stance?.slice(item.stance.indexOf(' '));
  if (whom && storySigs.some((sig) => sig.stance !== item.stance && sig.stance?.endsWith(whom)))
    addNewAct(item.stance!);
  // Two names the other way round, the words between alike: "Biden ballots in Trump batch" after "Trump ballots in
  // Biden batch", "China, not Russia" after "Russia, not China".
  const storyPairs = new Set(storySigs.flatMap((sig) => sig.pairs ?? []));
  const otherWayRound = item.pairs?.find((pair) => !storyPairs.has(pair) && storyPairs.has(otherOrder(pair)));
  if (otherWayRound) addNewAct(otherWayRound.replaceAll('|', ' '));
  // One sentence with one slot changed: "most Americans trust results" after "most Georgians trust results".
  const slotWords = {
    facts: (headline: readonly string[]) => new Set(factTerms(headline, context)),
    isAct: (term: string) => ACT_TERMS.has(term) || isReaction(term),
  };
  const itemOrder = orderedTitle(item);
  // The story's first item is often its only one: compare each headline once.
  const changed = [...new Set(storySigs)]
    .map((sig) => {
      const storyOrder = orderedTitle(sig);
      return itemOrder && storyOrder && slotChange(itemOrder, storyOrder, slotWords);
    })
    .find(Boolean);
  if (changed) addNewAct(changed);
  // A figure gone the other way, or the other side of a time: "turnout down" after "turnout up".
  const way = item.direction;
  if (way && storySigs.some((sig) => otherWay(way, sig.direction))) addNewAct(way);
  // The rules below compare a story headline's first act with the item's when both name the same one.
  const mine = item.roles;
  // The same act the other way round: "Cochise County supervisors sue Adrian Fontes" after "Adrian Fontes sues Cochise
  // County supervisors": who acted in the story is acted upon in the item, and no one who acted there acts here.
  const reversed = (sig: StorySignature) => {
    const theirs = rolesOfSameAct(mine, sig);
    // "Masterson joins SIO" is "SIO hires Masterson": the verbs of a hire are each other's converse.
    if (!mine || !theirs || CONVERSE_ACTS.has(mine.act)) return false;
    const patientOf = (of: StorySignature, roles: ActRoles) =>
      of.title.filter((term) => term !== roles.act && !roles.agent.includes(term));
    const [myDoers, theirDoers] = [doers(mine), doers(theirs)];
    // Each side's doer is acted upon in the other, and no one acts in both. A place or a body's kind named on both sides
    // is no one: "Maricopa recorder Stephen Richer sues Maricopa County supervisors".
    return (
      myDoers.some((term) => patientOf(sig, theirs).includes(term)) &&
      theirDoers.some((term) => patientOf(item, mine).includes(term)) &&
      !myDoers.some((term) => theirDoers.includes(term) && !placeOrBody(term, [sig, item]))
    );
  };
  if (storySigs.some(reversed)) addNewAct(`${mine!.act} (the other way round)`);
  // A passive naming no doer whose subject did the act in the story, or the other way round: "Raffensperger
  // investigated over Fulton County ballot handling" after "Raffensperger investigates Fulton County ballot handling".
  // Who the passive's subject is, no place or body's kind: "Two Fulton election workers fired" names workers, not Fulton.
  const ownSubject = (roles: ActRoles, of: StorySignature) =>
    (roles.subject ?? []).filter((term) => !placeOrBody(term, [of]) && !STATE_TERMS.has(term));
  const doneToDoer = (passive: ActRoles | undefined, passiveOf: StorySignature, active: ActRoles | undefined) => {
    const own = passive?.subject && active && !active.subject ? ownSubject(passive, passiveOf) : [];
    return own.length > 0 && own.every((term) => doers(active!).includes(term));
  };
  const turned = (sig: StorySignature) =>
    doneToDoer(mine, item, rolesOfSameAct(mine, sig)) || doneToDoer(rolesOfSameAct(mine, sig), sig, mine);
  if (storySigs.some(turned)) addNewAct(`${mine!.act} (done to its doer)`);
  // Who says it the other way round: "Stephen Richer: Kari Lake lied" after "Kari Lake: Stephen Richer lied".
  const namedIn = (terms: readonly string[] = [], sig: StorySignature) =>
    terms.length > 0 && terms.some((term) => sig.title.includes(term) && !sig.speaker?.includes(term));
  const saidOtherWay = (sig: StorySignature) =>
    !item.speaker?.some((term) => sig.speaker?.includes(term)) &&
    namedIn(item.speaker, sig) &&
    namedIn(sig.speaker, item);
  if (storySigs.some(saidOtherWay)) addNewAct('said the other way round');
  // The same acts in the other order: "CISA fires reinstated probationary workers" after "CISA reinstates fired
  // probationary workers". Each headline's act is one the other only describes by a participle.
  const described = (sig: StorySignature, act: string) => sig.participles?.includes(act) && sig.roles?.act !== act;
  const reordered = (sig: StorySignature) =>
    mine !== undefined && sig.roles !== undefined && described(sig, mine.act) && described(item, sig.roles.act);
  if (storySigs.some(reordered)) addNewAct(`${mine!.act} (after the other act)`);
  // The same procedure in another state, chamber or court is another event: Michigan's certification suit after
  // Pennsylvania's, the House hearing after the Senate's.
  const otherOf = (storyPlaces: readonly string[], itemPlaces: readonly string[]) =>
    storyPlaces.some((place) => !itemPlaces.includes(place))
      ? itemPlaces.filter((place) => !storyPlaces.includes(place))
      : [];
  const statesOf = (sig: StorySignature) => statesNamed(sig.title);
  const countiesOf = (sig: StorySignature) => sig.counties ?? [];
  // A county's count is not the state's: "Fulton County recount confirms Biden's win" after "Georgia hand recount ...",
  // or the other way round. Each side names one scope and not the other.
  const scopeOf = (sig: StorySignature) =>
    countiesOf(sig).length > 0 ? 'county' : statesOf(sig).length > 0 ? 'state' : undefined;
  const storyScopes = new Set(storySigs.map(scopeOf));
  const itemScope = scopeOf(item);
  const scopeChanged =
    itemScope && storyScopes.size === 1 && !storyScopes.has(itemScope) && !storyScopes.has(undefined);
  const otherScope = !scopeChanged ? [] : itemScope === 'county' ? countiesOf(item) : statesOf(item);
  const otherPlaces = [
    ...otherOf(storySigs.flatMap(statesOf), statesOf(item)),
    ...otherOf(storySigs.flatMap(countiesOf), countiesOf(item)),
    ...otherScope,
    ...otherOf(
      storySigs.flatMap((sig) => sig.chambers ?? []),
      item.chambers ?? [],
    ),
    // A ruling in another court is the case's next step: the federal suit after the county's.
    ...[true, false].flatMap((levels) => {
      const ofKind = (names: readonly string[] = []) => names.filter((name) => COURT_LEVEL_NAMES.has(name) === levels);
      return otherOf(
        storySigs.flatMap((sig) => ofKind(sig.courts)),
        ofKind(item.courts),
      );
    }),
  ];
  // Each side names something rare the other never mentions: an advisory on Dominion machines after one on ES&S's.
  const rareNames = (names: readonly string[], known: ReadonlySet<string>) =>
    eventTerms(names, context).filter((term) => !known.has(term) && context.rarity.weight(term) >= NAME_WEIGHT);
  const itemNames = rareNames(item.names ?? [], told);
  const storyNames = rareNames([...(member.names ?? []), ...(origin.names ?? [])], itemSaid);
  // A number swapped for another is another fact: "CISA adds 5 known exploited vulnerabilities" after "adds 3".
  const otherNumbers = otherOf(
    storySigs.flatMap((sig) => sig.numbers ?? []),
    item.numbers ?? [],
  );
  // Not what the story's leads name only as to come or as another matter ("Masterson is expected to be pushed out too",
  // "Republicans are also pushing a bill requiring hand counts"): the item reporting it is another development.
  const titled = new Set(storySigs.flatMap((sig) => sig.title));
  const doneOf = (untold: ReadonlySet<string>) =>
    new Set([...told].filter((term) => titled.has(term) || !untold.has(term)));
  const asides = new Set(storySigs.flatMap((sig) => sig.aside ?? []));
  const toldAside = doneOf(asides);
  const toldDone = doneOf(new Set([...asides, ...storySigs.flatMap((sig) => sig.ahead ?? [])]));
  const { toldPeople, saidPeople, apart } = peopleApart(item, storySigs, toldDone, itemBackground, context);
  const otherNames = [...(storyNames.length > 0 ? itemNames : []), ...otherNumbers, ...apart];
  const evidence = { weight, shared, newActs, otherPlaces, otherNames, swapped: [] as string[] };
  if (newActs.length > 0 || otherPlaces.length > 0 || otherNames.length > 0) return { joins: false, ...evidence };
  const sameHeadline = sameEventHeadline(item, member, context);
  // What the headline says that the story never did: one rare word ("deputy") can be the whole news.
  // Of its main clause: why or how it happened ("... who disputed fraud claims") is background the story may not tell.
  const mainClause = item.title.filter((term) => !item.clause?.includes(term));
  // Summed weight of the event terms among `terms` the story never told.
  const novel = (terms: readonly string[]) =>
    total(
      weighed(
        eventTerms(terms, context).filter((term) => !told.has(term)),
        context,
      ),
    );
  // An act done once to a person (fired, resigned, hired) is the same event whatever reason a headline gives; an act
  // an official does again and again (signs, vetoes, rules, investigates, awards) may differ by its object alone, and a
  // trailing clause often names it ("signs bill for child care funding" after "... for tribal water settlement").
  const mainActs = mainClause.filter((term) => ACT_TERMS.has(term));
  // A tracked person firing someone unnamed does it again and again: "Katie Hobbs fires state agency director over
  // child welfare failures" after "... over sober living fraud" (Trump firing an unnamed Krebs does it once).
  // So does anyone firing a group: "fires CISA staffers who worked on foreign influence" after "... on election security".
  const firesOthers =
    mine?.act === 'fire' &&
    (mainClause.some((term) => GROUPS.has(term) && !mine.agent.includes(term)) ||
      (entitiesNamed(mine.agent, context).length > 0 && namesNoOne(item, mine, context)));
  // A main clause with no act nor reaction tells its news in the clause: "Fontes faces backlash over procedures manual"
  // after "... over comments on election deniers" (why someone "blasts" someone is background, as a firing's reason).
  const reacts = mine !== undefined && isReaction(mine.act);
  // An act only called for is no act yet: "faces calls to resign over password leak" after "... over ballot decision".
  const doneActs = mainActs.filter((term) => !item.planned?.includes(term));
  const recurring = firesOthers || (doneActs.length > 0 ? doneActs.every((term) => !ONCE_ACTS.has(term)) : !reacts);
  const novelty = novel(mainClause) + (recurring ? novel(item.clause ?? []) : 0);
  // A headline that swaps a word of the story's headlines for one of its own reports another fact: "Georgia machine
  // recount confirms Biden's win" after "Georgia hand recount ...". However common: "CISA briefs governors on election
  // threats" after "CISA briefs secretaries of state ..." (news full of governors weighs the word nothing).
  // A tracked person the story never named counts whatever its rarity: "CISA director Krebs pushed out" after "CISA
  // cyber chief Ware pushed out" is another person's ouster.
  // Not a word of a name of someone the story names: "Chris" or "ex-CISA chief" when the story said "Krebs".
  const ofPerson = (people: ReadonlySet<string>) => (term: string) =>
    [...people].some((id) => context.termsOf.get(id)?.has(term));
  const [ofToldPerson, ofSaidPerson] = [ofPerson(toldPeople), ofPerson(saidPeople)];
  const newEntityNames = mainClause.filter(
    (term) => context.entityTerms.has(term) && !told.has(term) && !ROLE_TERMS.has(term) && !ofToldPerson(term),
  );
  // A word of a tracked entity's longer name standing alone is a fact too: "governors" beside a tracked "Governor Hobbs".
  const swappedIn = [
    ...new Set([
      ...newEntityNames,
      ...factTerms(mainClause, context).filter((term) => !toldAside.has(term) && !ofToldPerson(term)),
    ]),
  ];
  // Swapped out of the headline, whatever the summary recalls: "CISA warns of hackers targeting election
  // infrastructure" over "... two days after the agency alerted water utilities" is not the water utilities warning.
  const itemHeadlineSaid = new Set(item.title);
  const swappedOut = factTerms([...member.title, ...origin.title], context).filter(
    (term) => !itemHeadlineSaid.has(term) && !background.has(term) && !ofSaidPerson(term),
  );
  if (swappedIn.length > 0 && swappedOut.length > 0) return { joins: false, ...evidence, swapped: swappedIn };
  // The same headline over another summary: a recurring title ("WATCH LIVE: Raffensperger holds news conference")
  // tells its news in the summary alone, so a summary adding what the story's own summary never told is another event.
  // A story item without a summary (a Google News copy) tells nothing to compare with. Headlines naming the person
  // otherwise ("Gov. Katie Hobbs vetoes election bill", "Hobbs vetoes election bill") are the same headline.
  const memberHeadline = new Set(member.title);
  const leadOf = (sig: StorySignature) => sig.terms.filter((term) => !sig.title.includes(term));
  const bothLeads = leadOf(member).length > 0 && leadOf(item).length > 0;
  if (sameHeadline && bothLeads && novel(leadOf(item)) >= SAME_ACT_NOVELTY) return { joins: false, ...evidence };
  const union = new Set([...itemEvent, ...memberEvent]).size;
  if (novelty < SAME_ACT_NOVELTY && shared.length >= 2 && shared.length / union >= NEAR_DUPLICATE) {
    return { joins: true, reason: 'near-duplicate', ...evidence };
  }
  // An epithet ("fired CISA chief Krebs") or a trailing clause ("... a day after Krebs firing") names no act of its item.
  const acts = (sig: StorySignature) => {
    const said = backgroundOf(sig);
    return sig.title.filter((term) => ACT_TERMS.has(term) && !said.includes(term));
  };
  const titleActs = new Set([...acts(member), ...acts(origin)]);
  const sameAct = acts(item).some((term) => titleActs.has(term) && context.rarity.weight(term) >= SAME_ACT_WEIGHT);
  if (novelty < SAME_ACT_NOVELTY && sameAct) {
    return { joins: true, reason: 'same-act', ...evidence };
  }
  // A reaction to the story's act that names nothing the story did not tell: "Democrats condemn Trump's 'pathetic'
  // firing of Krebs" after "Trump fires Krebs" (but not "... firing of Krebs's deputy").
  // A court's or a judge's "reaction" is its ruling, another development: "Federal judge slams Trump campaign suit";
  // so is a watchdog's report or a committee's resolution ("Inspector general slams CISA's cuts").
  const byCourt = (item.courts ?? []).length > 0 || (item.reactors ?? []).length > 0;
  if (
    !byCourt &&
    item.reaction?.some((term) => titleActs.has(term) && context.rarity.weight(term) >= SAME_ACT_WEIGHT)
  ) {
    if (novel(item.reaction) < SAME_ACT_NOVELTY) return { joins: true, reason: 'reaction', ...evidence };
  }
  const rare = shared.filter((t) => t.weight > 0).length;
  if (weight < JOIN_WEIGHT || rare < 2) return { joins: false, ...evidence };
  // Shared words join no more than the same act does: a headline that adds rare words of its own ("... popular firewall
  // software" after "... widely used VPN software") may be the next development, so it alerts.
  if (novelty >= SAME_ACT_NOVELTY) return { joins: false, ...evidence };
  // Shared words carry no join when the headline names someone or something rare the story never mentioned: "to write
  // 'Integrity Counts' for Simon & Schuster" after his op-ed is his book deal, whatever else the two share.
  if (itemNames.length > 0) return { joins: false, ...evidence, otherNames: itemNames };
  // Summaries repeat background ("the firing cost him his job"): some of the evidence must be in both headlines.
  // Not from what the item names only as background: "Krebs on TODAY: lawyers weighing options after diGenova remarks"
  // follows the remarks; it is not the remarks.
  const itemHeadline = new Set(mainClause);
  const inHeadlines = shared.filter((t) => itemHeadline.has(t.term) && memberHeadline.has(t.term));
  if (total(inHeadlines) < TITLE_WEIGHT) return { joins: false, ...evidence };
  const fromOrigin =
    origin === member ? weight : total(weighed(sharedSorted(itemEvent, eventTerms(origin.terms, context)), context));
  if (fromOrigin < ORIGIN_WEIGHT) return { joins: false, ...evidence };
  return { joins: true, reason: 'rare-event-terms', ...evidence };
}
