import { describe, expect, it } from 'vitest';
import { detectGraphicContent, wholeWordPattern } from '../src/index.js';

describe('graphic content flags', () => {
  it.each([
    ['Reuters-style warning', { specialInstructions: 'WARNING: GRAPHIC CONTENT' }, 'GRAPHIC CONTENT'],
    ['lower case', { specialInstructions: 'graphic content' }, 'graphic content'],
    ['graphic images', { specialInstructions: 'ATTENTION EDITORS - GRAPHIC IMAGES' }, 'GRAPHIC IMAGES'],
    [
      'AP editors note in the caption',
      {
        caption:
          'EDITORS NOTE: Graphic content - A body lies in the street after shelling in Kharkiv, Ukraine, Friday, April 15, 2022. (AP Photo/Felipe Dana)',
      },
      'Graphic content',
    ],
    [
      "EDITOR'S NOTE … DISTURBING",
      {
        caption:
          "EDITOR'S NOTE: This image contains content that some may find disturbing. Relatives mourn at a funeral.",
      },
      "EDITOR'S NOTE: This image contains content that some may find disturbing",
    ],
    [
      'EDITORS NOTE … DISTURBING in instructions',
      { specialInstructions: 'EDITORS NOTE: IMAGE MAY BE DISTURBING TO SOME READERS' },
      'EDITORS NOTE: IMAGE MAY BE DISTURBING',
    ],
    [
      'curly apostrophe',
      { caption: 'Editor’s note – disturbing image: a man is treated.' },
      'Editor’s note – disturbing',
    ],
    ['disturbing content', { specialInstructions: 'Disturbing content' }, 'Disturbing content'],
    ['desk code SMOUT', { specialInstructions: 'TPX; SMOUT' }, 'SMOUT'],
    ['desk code among codes', { specialInstructions: 'NARCH/SMOUT/NARCH30' }, 'SMOUT'],
  ])('%s', (_name, input, match) => {
    expect(detectGraphicContent(input)?.match).toBe(match);
  });

  it('says where it matched, special instructions first', () => {
    expect(
      detectGraphicContent({
        caption: 'EDITORS NOTE: graphic content. A soldier is carried.',
        specialInstructions: 'GRAPHIC CONTENT',
      }),
    ).toEqual({
      field: 'specialInstructions',
      match: 'GRAPHIC CONTENT',
      reason: 'Graphic content flagged in special instructions: "GRAPHIC CONTENT"',
    });
    expect(detectGraphicContent({ headline: 'GRAPHIC IMAGE: aftermath of the attack' })?.field).toBe(
      'headline',
    );
  });

  it.each([
    ['Portsmouth (contains SMOUT)', { caption: 'Portsmouth fans celebrate at Fratton Park in PORTSMOUTH.' }],
    ['SMOUTH is not SMOUT', { specialInstructions: 'SMOUTH' }],
    ['SMOUT_1 is another code', { specialInstructions: 'SMOUT_1' }],
    ['graphic designer', { caption: 'A graphic designer works on a poster in Paris.' }],
    ['graphic novel', { caption: 'Fans queue for the graphic novel festival in Angouleme.' }],
    ['disturbing without a note', { caption: 'Police said the disturbance ended peacefully.' }],
    ['editors note without a warning', { caption: 'EDITORS NOTE: corrects spelling of name.' }],
    [
      'note and warning in different paragraphs',
      { caption: 'EDITORS NOTE: repeats\nfans were disturbing the peace' },
    ],
    ['nothing', {}],
  ])('does not fire on %s', (_name, input) => {
    expect(detectGraphicContent(input)).toBeUndefined();
  });

  it('per-feed words and codes: whole words, any case, phrases over any whitespace', () => {
    const options = { words: ['SENSITIVE', 'bodies visible', 'X-RATED'] };
    expect(detectGraphicContent({ specialInstructions: 'sensitive' }, options)?.match).toBe('sensitive');
    expect(detectGraphicContent({ caption: 'Bodies\n visible near the site' }, options)?.match).toBe(
      'Bodies\n visible'.replace(/\s+/g, ' '),
    );
    expect(detectGraphicContent({ specialInstructions: 'X-RATED' }, options)?.match).toBe('X-RATED');
    expect(detectGraphicContent({ caption: 'Insensitive remarks' }, options)).toBeUndefined();
    expect(detectGraphicContent({ caption: 'hypersensitive' }, options)).toBeUndefined();
  });

  it('a feed can drop the default codes', () => {
    expect(
      detectGraphicContent({ specialInstructions: 'SMOUT' }, { withoutDefaultCodes: true }),
    ).toBeUndefined();
    expect(
      detectGraphicContent({ specialInstructions: 'GRAPHIC CONTENT' }, { withoutDefaultCodes: true }),
    ).toBeDefined();
  });

  it('words with regular-expression characters are literal; blank words are ignored', () => {
    expect(wholeWordPattern('a.b')?.test('axb')).toBe(false);
    expect(wholeWordPattern('a.b')?.test('a.b')).toBe(true);
    expect(wholeWordPattern('(18+)')?.test('rated (18+) only')).toBe(true);
    expect(wholeWordPattern('   ')).toBeUndefined();
    expect(detectGraphicContent({ caption: 'anything' }, { words: ['', ' '] })).toBeUndefined();
  });

  it('accented letters count as part of a word', () => {
    expect(detectGraphicContent({ caption: 'ÉSMOUT' })).toBeUndefined();
    expect(detectGraphicContent({ caption: 'code: SMOUT.' })?.match).toBe('SMOUT');
  });

  it('quotes a long editors note shortened in the reason, whole in the match', () => {
    const note = `EDITORS NOTE: ${'x '.repeat(100)}disturbing`;
    const flag = detectGraphicContent({ caption: note });
    expect(flag?.match.length).toBeGreaterThan(120);
    expect(flag?.reason.length).toBeLessThan(180);
  });
});
