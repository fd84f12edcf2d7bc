// An act's word in another sense, a weighed act, an act faced or repeated "further": each later report of the act
// itself is another development, and must not join the story it resembles.

import { joinEvidence } from '../../lambda/core/story-evidence';
import { type StoryText, storySignature } from '../../lambda/core/story-terms';
import { defaultStoryContext } from '../support/story-stream';

const context = defaultStoryContext();
const joins = (first: StoryText | string, later: StoryText | string) => {
  const story = storySignature(typeof first === 'string' ? { title: first } : first);
  return joinEvidence(storySignature(typeof later === 'string' ? { title: later } : later), story, story, context)
    .joins;
};

describe('a word of the act in another sense', () => {
  it.each([
    ['Krebs under fire over rumor control site', 'Trump fires CISA director Chris Krebs'],
    ['Trump fires back at Krebs over election claims', 'Trump fires Krebs over election claims'],
    ['CISA places Masterson on administrative leave', 'Masterson leaves CISA'],
    ['Sterling takes leave from secretary of state office', 'Sterling resigns from secretary of state office'],
    ['Raffensperger forms exploratory committee for governor run', 'Raffensperger launches governor run'],
    ['Raffensperger appeals to voters after court ruling', 'Raffensperger appeals court ruling'],
    [
      'Raffensperger confirms investigation into double-counted ballots',
      'Raffensperger investigation finds double-counted ballots',
    ],
  ])('"%s", then "%s"', (first, later) => {
    expect(joins(first, later)).toBe(false);
  });

  it('still joins the act reworded', () => {
    expect(joins('Trump fires CISA director Chris Krebs', 'Trump ousts CISA director Chris Krebs')).toBe(true);
    expect(
      joins(
        'Raffensperger appeals ruling to Georgia Supreme Court',
        'Raffensperger appeals to Georgia Supreme Court over ruling',
      ),
    ).toBe(true);
  });
});

describe('an act weighed or faced, then decided or done', () => {
  it.each([
    ['Trump weighs firing CISA director Chris Krebs', 'Trump to fire CISA director Chris Krebs, officials say'],
    ['Raffensperger hints at run for Georgia governor', 'Raffensperger to run for Georgia governor'],
    ['Raffensperger could run for Georgia governor', 'Raffensperger will run for Georgia governor'],
    ['Raffensperger faces censure by Georgia Republican Party', 'Georgia Republican Party censures Raffensperger'],
    ['Rumors swirl of Matthew Masterson exit from CISA', 'Matthew Masterson exits CISA'],
    ['Republicans fear Raffensperger veto of election bill', 'Raffensperger vetoes election bill'],
  ])('"%s", then "%s"', (first, later) => {
    expect(joins(first, later)).toBe(false);
  });

  it('joins the decision told twice', () => {
    expect(joins('Raffensperger to run for Georgia governor', 'Raffensperger will run for Georgia governor')).toBe(
      true,
    );
  });
});

describe('the act again, further or on ones own', () => {
  it.each([
    ['CISA cuts election security staff', 'CISA cuts election security staff further'],
    ['State Election Board investigates Fulton County', 'Raffensperger opens his own investigation into Fulton County'],
  ])('"%s", then "%s"', (first, later) => {
    expect(joins(first, later)).toBe(false);
  });
});

describe('questions, votes, speakers and passives', () => {
  it.each([
    ['Is Brad Raffensperger running for Georgia governor?', 'Brad Raffensperger is running for Georgia governor'],
    ['Did CISA cut its election security team?', 'CISA cut its election security team, officials say'],
    [
      'Georgia Senate votes against stripping Raffensperger of board vote',
      'Georgia Senate votes to strip Raffensperger of board vote',
    ],
    ['Trump allies call for firing of CISA director Chris Krebs', 'Trump fires CISA director Chris Krebs'],
    ['House Republicans propose CISA budget cut', 'House cuts CISA budget'],
    [
      "Gabriel Sterling: no fraud found, Georgia won't recount",
      'Gabriel Sterling: no fraud found, Georgia will recount',
    ],
    ['Sterling: Fulton pushes certification back a day', 'Sterling: Fulton pushes certification back a week'],
    ['Raffensperger: Fulton opts into hand count', 'Raffensperger: Fulton opts out of hand count'],
    ['Krebs: Trump lawyers lied to senators', 'Trump lawyers: Krebs lied to senators'],
    ['Raffensperger sues Fulton County election board', 'Fulton County election board sues Raffensperger'],
    [
      'Raffensperger investigates Fulton County ballot handling',
      'Raffensperger investigated over Fulton County ballot handling',
    ],
    ['Kari Lake sued for defamation by Stephen Richer', 'Stephen Richer sued for defamation by Kari Lake'],
  ])('"%s", then "%s"', (first, later) => {
    expect(joins(first, later)).toBe(false);
  });

  it('joins the same question, the same speaker and the same passive told again', () => {
    expect(
      joins('Is Brad Raffensperger running for Georgia governor?', 'Is Raffensperger running for Georgia governor?'),
    ).toBe(true);
    expect(joins('Krebs: Trump lawyers lied to senators', 'Krebs says Trump lawyers lied to senators')).toBe(true);
    expect(
      joins('Kari Lake sued for defamation by Stephen Richer', 'Stephen Richer sues Kari Lake for defamation'),
    ).toBe(true);
    expect(joins('Fulton County sues Raffensperger', 'Fulton County files lawsuit against Raffensperger')).toBe(true);
    expect(
      joins(
        'Fulton fires two election workers over shredded applications',
        'Two Fulton election workers fired over shredded applications',
      ),
    ).toBe(true);
  });
});
