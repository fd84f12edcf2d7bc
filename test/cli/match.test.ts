// `news-alerts match`: JSON Lines in, one `{id, entities}` line out per item, with the real default watchlist.
import { tmpdir } from 'node:os';
import { runCli } from './run-cli';

function lines(text: string): unknown[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('news-alerts match', () => {
  it('writes the entities of each item, in input order, and leaves look-alikes unmatched', async () => {
    const input = [
      { id: 'seed', title: 'Trump fires US election security official Christopher Krebs' },
      { id: 2, title: 'Brian Krebs: phishing kits now target election offices' },
      { id: 'cycle', title: 'The <b>Krebs cycle</b>, explained', summary: '<p>How cells make energy.</p>' },
      { id: 'ga', title: 'Georgia’s Raffensperger certifies the results', link: 'https://example.test/ga' },
      { id: 'gbp', title: 'Pound sterling slides against the dollar' },
    ]
      .map((item) => JSON.stringify(item))
      .join('\n');
    const result = await runCli(['match'], { cwd: tmpdir(), input: `${input}\n` });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines(result.stdout)).toEqual([
      { id: 'seed', entities: ['krebs'] },
      { id: 2, entities: [] },
      { id: 'cycle', entities: [] },
      { id: 'ga', entities: ['raffensperger'] },
      { id: 'gbp', entities: [] },
    ]);
  });

  it('--explain adds the evidence: which phrase, in which field, with a snippet', async () => {
    const input = JSON.stringify({ id: 'x', title: 'Markets', summary: 'Later, CISA director Krebs spoke.' });
    const result = await runCli(['match', '--explain'], { cwd: tmpdir(), input });
    const [output] = lines(result.stdout) as { id: string; entities: string[]; evidence: object[] }[];
    expect(output?.entities).toContain('krebs');
    expect(output?.evidence).toContainEqual(
      expect.objectContaining({ entityId: 'krebs', field: 'summary', snippet: expect.stringContaining('Krebs') }),
    );
  });

  it('says with --explain why a name of a tracked entity did not count, so a missed alert can be fixed', async () => {
    const input = [
      'Brian Krebs reports a new phishing kit',
      'Dr. Krebs opens a pediatric clinic',
      'Sterling hits a two-year high against the euro',
      JSON.stringify({ title: 'Krebs on election scams', link: 'https://krebsonsecurity.com/2026/01/scams/' }),
      'Tom Raffensperger wins the state wrestling title',
    ].join('\n');
    const result = await runCli(['match', '--explain'], { cwd: tmpdir(), input });
    expect(result.code).toBe(0);
    const refused = lines(result.stdout).map((line) => (line as { refused?: unknown[] }).refused);
    expect(refused[0]).toEqual([{ entityId: 'krebs', phrase: 'Krebs', reason: 'inside-exclude' }]);
    expect(refused[1]).toEqual([{ entityId: 'krebs', phrase: 'Krebs', reason: 'names-someone-else' }]);
    expect(refused[2]).toEqual([
      {
        entityId: 'sterling',
        phrase: 'Sterling',
        reason: 'topic',
        topic: expect.objectContaining({ margin: expect.any(Number), terms: expect.any(Array) }),
      },
    ]);
    expect((refused[2] as { topic: { margin: number } }[])[0]!.topic.margin).toBeLessThan(0);
    expect(refused[3]).toEqual([{ entityId: 'krebs', phrase: 'Krebs', reason: 'exclude-in-source' }]);
    expect(refused[4]).toEqual([
      { entityId: 'raffensperger', phrase: 'Raffensperger', reason: 'alias-names-someone-else' },
    ]);
  });

  it("counts a bare surname in a line from the watchlist's search feed for the full name, and says so", async () => {
    const title = 'Krebs cheers on son at high school wrestling final - Des Moines Register';
    const input = [
      JSON.stringify({ title, feed: 'Google News - Chris Krebs' }),
      JSON.stringify({ title, feed: 'CyberScoop' }),
      JSON.stringify({ title }),
    ].join('\n');
    const result = await runCli(['match', '--explain'], { cwd: tmpdir(), input });
    expect(result.code).toBe(0);
    const [searched, outlet, plain] = lines(result.stdout) as { entities: string[]; evidence: object[] }[];
    expect(searched).toMatchObject({
      entities: ['krebs'],
      evidence: [{ phrase: 'Krebs', context: 'feed: Google News - Chris Krebs' }],
    });
    expect([outlet!.entities, plain!.entities]).toEqual([[], []]);
  });

  it('takes a plain line for a headline, and numbers lines that bring no id', async () => {
    const input = [
      'Krebs: foreign hackers did not change a single vote',
      JSON.stringify({ title: 'Sterling hits a two-year high against the euro' }),
      '',
      '  Gabriel Sterling speaks  ',
    ].join('\n');
    const result = await runCli(['match'], { cwd: tmpdir(), input });
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      { id: 1, entities: ['krebs'] },
      { id: 2, entities: [] },
      { id: 4, entities: ['sterling'] },
    ]);
  });

  it('answers a bad line with an error line naming it, goes on with the rest, and exits 2', async () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'Chris Krebs testifies' }),
      '{"id": "b", "title": ',
      JSON.stringify({ id: 'c' }),
      '',
      JSON.stringify({ id: 'd', title: 'Gabriel Sterling speaks' }),
    ].join('\n');
    const result = await runCli(['match'], { cwd: tmpdir(), input });
    expect(result.code).toBe(2);
    const output = lines(result.stdout);
    expect(output).toEqual([
      { id: 'a', entities: ['krebs'] },
      { line: 2, error: expect.stringContaining('not JSON') },
      { line: 3, id: 'c', error: expect.stringContaining('title') },
      { id: 'd', entities: ['sterling'] },
    ]);
    expect(result.stderr).toContain('line 2: not JSON');
    expect(result.stderr).toContain('line 3: ');
  });
});
