import { readFile } from 'node:fs/promises';
import type { PhotoMetadata } from '@lightbox/contracts';
import { REPO_ROOT } from '@lightbox/test-infra';
import { detectGraphicContent } from '@lightbox/wire-rules';
import { describe, expect, it } from 'vitest';
import {
  applyCodes,
  applyFeedRules,
  FeedRulesError,
  feedCadences,
  feedExpiryRule,
  feedWatermarkConfig,
  graphicContentOptions,
  invalidCredentialsPolicy,
  normaliseCredit,
  parseFeedRules,
  replaceCodes,
  rulesForFeed,
  withFeedRestrictions,
} from '../src/index.js';

const problems = (text: string) => {
  try {
    parseFeedRules(text, 'feeds.yaml');
  } catch (err) {
    if (err instanceof FeedRulesError) return { message: err.message, problems: err.problems };
    throw err;
  }
  throw new Error('expected the file to be refused');
};

describe('the rules file', () => {
  it('the documented example parses (docs/feed-rules.md)', async () => {
    const doc = await readFile(`${REPO_ROOT}/docs/feed-rules.md`, 'utf8');
    const yaml = doc.match(/```yaml\n([\s\S]*?)```/)?.[1] as string;
    const file = parseFeedRules(yaml, 'docs/feed-rules.md');
    expect(file.defaults?.codes).toEqual({ nyc: 'New York City', la: 'Los Angeles' });
    expect(file.feeds.reuters?.codes).toEqual({ dc: 'Washington, D.C.' });
    expect(file.feeds.ap).toMatchObject({
      restrictions: ['MANDATORY CREDIT'],
      cadence: { expectedPerHour: 120 },
    });
  });

  it('JSON is read the same way', () => {
    const yaml = parseFeedRules(
      'version: 1\nfeeds:\n  ap:\n    expiry: { expireAfterDays: 7 }\n    codes: { nyc: New York City }\n',
    );
    const json = parseFeedRules(
      '{"version": 1, "feeds": {"ap": {"expiry": {"expireAfterDays": 7}, "codes": {"\\\\nyc": "New York City"}}}}',
    );
    expect(json).toEqual(yaml);
    expect(parseFeedRules('version: 1\n')).toEqual({ version: 1, feeds: {} });
  });

  it('names the line and the field of every problem', () => {
    const text = [
      'version: 1', // 1
      'feeds:', // 2
      '  ap:', // 3
      '    expiry: { expireAfterDays: -1 }', // 4
      '    credit:', // 5
      '      template: "{agency}/{camera}"', // 6
      '  reuters:', // 7
      '    watermarks:', // 8
      '      text: x', // 9
      '  "bad feed":', // 10
      '    expiry: { expireAfterDays: 1 }', // 11
    ].join('\n');
    const { message, problems: list } = problems(text);
    expect(list.map((p) => [p.line, p.path])).toEqual([
      [4, 'feeds.ap.expiry.expireAfterDays'],
      [6, 'feeds.ap.credit.template'],
      [8, 'feeds.reuters'],
      [10, 'feeds["bad feed"]'],
    ]);
    expect(message).toMatch(/^Invalid feeds\.yaml:\n {2}line 4: feeds\.ap\.expiry\.expireAfterDays: /);
    expect(message).toContain(
      'line 6: feeds.ap.credit.template: unknown placeholder: use {agency}, {photographer}',
    );
    expect(message).toContain('line 8: feeds.reuters: Unrecognized key: "watermarks"');
    expect(message).toContain('feed names may only use letters, digits, _ . -');
  });

  it('a code in double quotes ("\\nyc" is a line break) is refused with a hint', () => {
    const { message, problems: list } = problems(
      'version: 1\nfeeds:\n  ap:\n    codes:\n      "\\nyc": New York City\n',
    );
    expect(list[0]?.line).toBe(5);
    expect(message).toMatch(/in single quotes: "\\n" in double quotes is a line break/);
  });

  it('broken YAML, duplicate keys and broken JSON stop with their line', () => {
    expect(
      problems('version: 1\nfeeds:\n  ap:\n    restrictions: [A]\n    restrictions: [B]\n').problems[0]?.line,
    ).toBe(5);
    expect(problems('version: 1\nfeeds:\n  ap: [\n').message).toMatch(
      /^feeds\.yaml is not valid YAML or JSON:\n {2}line \d+: /,
    );
    expect(
      problems('{\n  "version": 1,\n  "feeds": {\n    "ap": {"restrictions": [],}\n').problems[0]?.line,
    ).toBeGreaterThanOrEqual(4);
  });

  it('a missing or wrong version is named', () => {
    expect(problems('feeds: {}\n').message).toContain('line 1: version: version must be 1');
    expect(problems('version: 2\n').problems).toEqual([
      { line: 1, path: 'version', message: 'version: version must be 1' },
    ]);
  });
});

const photo = (p: Partial<PhotoMetadata>): PhotoMetadata => ({ keywords: [], ...p });

describe('code replacements', () => {
  const codes = { nyc: 'New York City', la: 'Los Angeles', 'sb-lix': 'Super Bowl LIX' };
  it.each([
    ['Fans in \\nyc celebrate', 'Fans in New York City celebrate'],
    ['Fans in \\nyc\\ celebrate', 'Fans in New York City celebrate'],
    ['Rain in \\NYC.', 'Rain in New York City.'],
    ['\\la, \\nyc', 'Los Angeles, New York City'],
    ['at \\sb-lix in New Orleans', 'at Super Bowl LIX in New Orleans'],
    ['a \\nycx code no one set', 'a \\nycx code no one set'],
    ['no codes here', 'no codes here'],
  ])('%s', (text, expected) => {
    expect(replaceCodes(text, codes)).toBe(expected);
  });

  it('replaces them in text fields and keywords, and derives the credit line again', () => {
    const out = applyCodes(
      photo({
        caption: 'Confetti falls in Times Square, \\nyc. (AP Photo/Yuki Iwamura)',
        city: '\\nyc',
        keywords: ['\\nyc', 'New Year'],
        credit: 'AP',
        byline: 'Yuki Iwamura',
        creditLine: 'stale',
      }),
      codes,
    );
    expect(out).toMatchObject({
      caption: 'Confetti falls in Times Square, New York City. (AP Photo/Yuki Iwamura)',
      city: 'New York City',
      keywords: ['New York City', 'New Year'],
      creditLine: 'AP Photo/Yuki Iwamura',
      agency: 'AP',
    });
  });

  it('leaves a record without codes untouched (the same object)', () => {
    const m = photo({ caption: 'Nothing to replace' });
    expect(applyCodes(m, codes)).toBe(m);
    expect(applyCodes(m, undefined)).toBe(m);
  });
});

describe('credit lines', () => {
  const reuters = photo({
    credit: 'REUTERS',
    byline: 'Kai Pfaffenbach',
    creditLine: 'REUTERS/Kai Pfaffenbach',
    agency: 'Reuters',
    parsedCredit: { raw: 'REUTERS/Kai Pfaffenbach', agency: 'Reuters', photographer: 'Kai Pfaffenbach' },
  });

  it('prints the house style from the parsed parts, with agency names mapped', () => {
    expect(
      normaliseCredit(reuters, {
        agencies: { reuters: 'Reuters Pictures' },
        template: '{photographer}/{agency}',
      }),
    ).toMatchObject({
      creditLine: 'Kai Pfaffenbach/Reuters Pictures',
      agency: 'Reuters Pictures',
      parsedCredit: { agency: 'Reuters Pictures', photographer: 'Kai Pfaffenbach' },
    });
  });

  it('keeps the line as sent when the template names a part the credit lacks', () => {
    const handout = photo({ credit: 'HANDOUT', creditLine: 'Handout via Reuters' });
    expect(normaliseCredit(handout, { template: '{agency} Photo/{photographer}' })).toEqual(handout);
    expect(normaliseCredit(reuters, undefined)).toBe(reuters);
  });
});

describe('restrictions, merging and watermarks', () => {
  it('adds the feed defaults to the stated restrictions, upper-case, each once', () => {
    expect(withFeedRestrictions(['NO SALES'], ['no sales', 'Mandatory  credit'])).toEqual([
      'NO SALES',
      'MANDATORY CREDIT',
    ]);
    expect(withFeedRestrictions(undefined, undefined)).toEqual([]);
  });

  const file = parseFeedRules(`
version: 1
defaults:
  codes: { nyc: New York City, la: LA }
  credit: { agencies: { ASSOCIATED PRESS: AP } }
  restrictions: [NO ARCHIVE]
  watermark: { opacity: 0.5 }
  expiry: { expireAfterDays: 30 }
  graphicContent: { words: [distressing] }
feeds:
  ap:
    codes: { la: Los Angeles }
    credit: { template: "{agency} Photo/{photographer}" }
    restrictions: [MANDATORY CREDIT]
    watermark: { position: top-left }
    expiry: { expireAfterDays: 0, applies: all }
    graphicContent: { words: [graphic], withoutDefaultCodes: true }
    invalidCredentials: review
`);

  it("a feed's rules are its own over the defaults, field by field", () => {
    expect(rulesForFeed(file, 'ap')).toEqual({
      codes: { nyc: 'New York City', la: 'Los Angeles' },
      credit: { agencies: { 'ASSOCIATED PRESS': 'AP' }, template: '{agency} Photo/{photographer}' },
      restrictions: ['NO ARCHIVE', 'MANDATORY CREDIT'],
      watermark: { opacity: 0.5, position: 'top-left' },
      expiry: { expireAfterDays: 0, applies: 'all' },
      graphicContent: { words: ['distressing', 'graphic'], withoutDefaultCodes: true },
      invalidCredentials: 'review',
    });
    expect(rulesForFeed(file, 'unknown-feed')).toEqual(file.defaults);
    expect(rulesForFeed(undefined, 'ap')).toEqual({});
  });

  it('hands the expiry and graphic-content settings over in the shapes the wire rules take', () => {
    const ap = rulesForFeed(file, 'ap');
    expect(feedExpiryRule(ap)).toEqual({ expireAfterDays: 0, applies: 'all' });
    expect(feedExpiryRule(rulesForFeed(file, 'other'))).toEqual({
      expireAfterDays: 30,
      applies: 'unpublished',
    });
    expect(
      detectGraphicContent({ caption: 'A distressing scene after the blast' }, graphicContentOptions(ap))
        ?.match,
    ).toBe('distressing');
    expect(graphicContentOptions({})).toEqual({});
  });

  it('holds photos whose credentials do not verify unless the feed says review or allow', () => {
    expect(invalidCredentialsPolicy(rulesForFeed(file, 'ap'))).toBe('review');
    expect(invalidCredentialsPolicy(rulesForFeed(file, 'other'))).toBe('hold');
    expect(() =>
      parseFeedRules('version: 1\nfeeds:\n  ap:\n    invalidCredentials: reject\n', 'feeds.yaml'),
    ).toThrow(/line 4: feeds\.ap\.invalidCredentials/);
  });

  it('applies codes then the credit template', () => {
    const out = applyFeedRules(
      photo({
        caption: 'Fans in \\la. (AP Photo/Jae C. Hong)',
        credit: 'ASSOCIATED PRESS',
        byline: 'Jae C. Hong',
      }),
      rulesForFeed(file, 'ap'),
    );
    expect(out).toMatchObject({
      caption: 'Fans in Los Angeles. (AP Photo/Jae C. Hong)',
      creditLine: 'AP Photo/Jae C. Hong',
    });
  });

  it("puts each feed's watermark ahead of the configured rules", () => {
    expect(
      feedWatermarkConfig(file, {
        default: { opacity: 0.9, textSize: 0.02 },
        rules: [{ match: { agency: 'Getty Images' }, enabled: false }],
      }),
    ).toEqual({
      default: { opacity: 0.5, textSize: 0.02 },
      rules: [
        { match: { feed: 'ap' }, position: 'top-left' },
        { match: { agency: 'Getty Images' }, enabled: false },
      ],
    });
    expect(feedWatermarkConfig(undefined, undefined)).toBeUndefined();
    expect(feedWatermarkConfig(parseFeedRules('version: 1'), { rules: [] })).toEqual({ rules: [] });
  });
});

describe('cadences for feed-watch', () => {
  it("each feed's own, else the defaults'; the feeds named with one are watched from the start", () => {
    const file = parseFeedRules(
      'version: 1\ndefaults:\n  cadence: { expectedPerHour: 5 }\nfeeds:\n  ap:\n    cadence: { expectedPerHour: 120 }\n  afp:\n    codes: { x: y }\n',
    );
    const { cadenceOf, watched } = feedCadences(file);
    expect(cadenceOf('ap')).toEqual({ expectedPerHour: 120 });
    expect(cadenceOf('afp')).toEqual({ expectedPerHour: 5 });
    expect(cadenceOf('unknown-feed')).toEqual({ expectedPerHour: 5 });
    expect(watched).toEqual(['ap', 'afp']);
    expect(feedCadences(undefined).cadenceOf('ap')).toBeUndefined();
    expect(feedCadences(undefined).watched).toEqual([]);
  });
});
