import { describe, expect, it } from 'vitest';
import {
  DIGITAL_SOURCE_TYPES,
  type DigitalSourceTypeCode,
  digitalSourceTypeHold,
  mostSyntheticSourceType,
  NEVER_AUTO_PUBLISHED,
  readDigitalSourceType,
} from '../src/index.js';

const uri = (code: string) => `http://cv.iptc.org/newscodes/digitalsourcetype/${code}`;

/** The IPTC vocabulary as released 2024-10-23 (cv.iptc.org/newscodes/digitalsourcetype), retired terms included. */
const IPTC_VOCABULARY = [
  'digitalCapture',
  'computationalCapture',
  'negativeFilm',
  'positiveFilm',
  'print',
  'minorHumanEdits',
  'humanEdits',
  'algorithmicallyEnhanced',
  'softwareImage',
  'digitalArt',
  'digitalCreation',
  'dataDrivenMedia',
  'trainedAlgorithmicMedia',
  'algorithmicMedia',
  'screenCapture',
  'virtualRecording',
  'composite',
  'compositeCapture',
  'compositeSynthetic',
  'compositeWithTrainedAlgorithmicMedia',
];

describe('IPTC digital source types', () => {
  it('every IPTC value has a label, and nothing else is in the table', () => {
    expect(Object.keys(DIGITAL_SOURCE_TYPES).sort()).toEqual([...IPTC_VOCABULARY].sort());
    for (const code of IPTC_VOCABULARY) {
      const reading = readDigitalSourceType(uri(code));
      expect(reading?.code).toBe(code);
      expect(reading?.label).toMatch(/^[A-Z]/);
    }
  });

  it('exactly the four synthetic types wait for an editor', () => {
    const held = IPTC_VOCABULARY.filter((c) => readDigitalSourceType(uri(c))?.needsReview);
    expect(held.sort()).toEqual(
      [
        'algorithmicMedia',
        'compositeSynthetic',
        'compositeWithTrainedAlgorithmicMedia',
        'trainedAlgorithmicMedia',
      ].sort(),
    );
    expect([...NEVER_AUTO_PUBLISHED].sort()).toEqual(held.sort());
  });

  it.each([
    ['trainedAlgorithmicMedia', 'AI-generated'],
    ['compositeWithTrainedAlgorithmicMedia', 'AI-edited'],
    ['compositeSynthetic', 'Composite with synthetic elements'],
    ['algorithmicMedia', 'Computer-generated (algorithmic)'],
    ['digitalCapture', 'Photograph'],
  ] as [DigitalSourceTypeCode, string][])('%s reads as "%s"', (code, label) => {
    expect(readDigitalSourceType(uri(code))?.label).toBe(label);
  });

  it('photographs captured from real life are not disclosed; synthetic and composite media are', () => {
    expect(readDigitalSourceType(uri('digitalCapture'))?.disclose).toBe(false);
    expect(readDigitalSourceType(uri('negativeFilm'))?.disclose).toBe(false);
    expect(readDigitalSourceType(uri('humanEdits'))?.disclose).toBe(false);
    expect(readDigitalSourceType(uri('compositeCapture'))?.disclose).toBe(true);
    expect(readDigitalSourceType(uri('trainedAlgorithmicMedia'))?.disclose).toBe(true);
  });

  it.each([
    ['full URI', uri('trainedAlgorithmicMedia')],
    ['https URI', 'https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'],
    ['QCode', 'digsrctype:trainedAlgorithmicMedia'],
    ['bare code', 'trainedAlgorithmicMedia'],
    ['other case', 'TRAINEDALGORITHMICMEDIA'],
    ['padded (a real C2PA file has a leading space)', `  ${uri('trainedAlgorithmicMedia')} `],
  ])('accepts the %s form', (_name, value) => {
    expect(readDigitalSourceType(value)).toMatchObject({
      code: 'trainedAlgorithmicMedia',
      uri: uri('trainedAlgorithmicMedia'),
      needsReview: true,
    });
  });

  it('an unknown value keeps its text and is not held; empty is nothing', () => {
    expect(readDigitalSourceType('http://c2pa.org/digitalsourcetype/empty')).toEqual({
      value: 'http://c2pa.org/digitalsourcetype/empty',
      label: 'Source type: http://c2pa.org/digitalsourcetype/empty',
      synthetic: 0,
      needsReview: false,
      disclose: false,
    });
    expect(readDigitalSourceType('http://example.com/digitalsourcetype/trainedAlgorithmicMedia')?.code).toBe(
      undefined,
    );
    expect(readDigitalSourceType('  ')).toBeUndefined();
    expect(readDigitalSourceType(undefined)).toBeUndefined();
  });

  it('when XMP and the C2PA manifest disagree, the more synthetic statement counts', () => {
    expect(
      mostSyntheticSourceType(uri('digitalCapture'), uri('compositeWithTrainedAlgorithmicMedia'))?.code,
    ).toBe('compositeWithTrainedAlgorithmicMedia');
    expect(mostSyntheticSourceType(uri('trainedAlgorithmicMedia'), uri('digitalCapture'))?.code).toBe(
      'trainedAlgorithmicMedia',
    );
    expect(mostSyntheticSourceType(undefined, 'nonsense', uri('digitalCapture'))?.code).toBe(
      'digitalCapture',
    );
    expect(mostSyntheticSourceType(undefined, 'nonsense')?.value).toBe('nonsense');
    expect(mostSyntheticSourceType(undefined, undefined)).toBeUndefined();
  });

  it('gives the reason a photo waits for review', () => {
    expect(digitalSourceTypeHold(uri('digitalCapture'), uri('trainedAlgorithmicMedia'))).toBe(
      'AI-generated (IPTC digital source type trainedAlgorithmicMedia): never published automatically',
    );
    expect(digitalSourceTypeHold(uri('digitalCapture'))).toBeUndefined();
    expect(digitalSourceTypeHold(undefined)).toBeUndefined();
  });
});
