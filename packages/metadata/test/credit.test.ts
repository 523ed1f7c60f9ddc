import { describe, expect, it } from 'vitest';
import { canonicalAgency, captionCredit, formatCreditLine, parseCredit } from '../src/index.js';

describe('parseCredit', () => {
  it.each([
    ['AP Photo/Natacha Pisarenko', { agency: 'AP', photographer: 'Natacha Pisarenko' }],
    ['(AP Photo/Duane A. Laverty)', { agency: 'AP', photographer: 'Duane A. Laverty' }],
    ['AP Photo/Evan Vucci, File', { agency: 'AP', photographer: 'Evan Vucci' }],
    ['Saul Loeb/Pool via AP', { photographer: 'Saul Loeb', agency: 'Pool', distributor: 'AP' }],
    ['THE CANADIAN PRESS/Sean Kilpatrick', { agency: 'The Canadian Press', photographer: 'Sean Kilpatrick' }],
    [
      'THE CANADIAN PRESS/AP-Dita Alangkara',
      { agency: 'AP', photographer: 'Dita Alangkara', distributor: 'The Canadian Press' },
    ],
    ['REUTERS/Wolfgang Rattay', { agency: 'Reuters', photographer: 'Wolfgang Rattay' }],
    ['REUTERS/Wolfgang Rattay/File Photo', { agency: 'Reuters', photographer: 'Wolfgang Rattay' }],
    [
      'Photo by FRANCK FIFE/AFP via Getty Images',
      { photographer: 'FRANCK FIFE', agency: 'AFP', distributor: 'Getty Images' },
    ],
    ['(Photo by Ezra Shaw/Getty Images)', { photographer: 'Ezra Shaw', agency: 'Getty Images' }],
    ['Photo: Jan Woitas/dpa', { photographer: 'Jan Woitas', agency: 'dpa' }],
    [
      'Photo: Alejandro Martínez Vélez/EUROPA PRESS/dpa',
      { photographer: 'Alejandro Martínez Vélez', agency: 'Europa Press', distributor: 'dpa' },
    ],
    ['EPA/CHRISTOPHE PETIT TESSON', { agency: 'EPA', photographer: 'CHRISTOPHE PETIT TESSON' }],
    ['EPA-EFE/RONALD WITTEK', { agency: 'EPA', photographer: 'RONALD WITTEK' }],
    ['Handout via REUTERS', { agency: 'Handout', distributor: 'Reuters' }],
    ['HANDOUT/AFP', { agency: 'Handout', distributor: 'AFP' }],
    ['(Photo by Handout/Getty Images)', { agency: 'Getty Images' }],
    ['KEYSTONE/Laurent Gillieron', { agency: 'Keystone', photographer: 'Laurent Gillieron' }],
    ['Julie Doe/Mugwum Press', { raw: 'Julie Doe/Mugwum Press' }],
    ['Staff', { raw: 'Staff' }],
  ])('%s', (text, expected) => {
    const parsed = parseCredit(text);
    expect(parsed).toBeDefined();
    for (const [k, v] of Object.entries(expected)) expect(parsed?.[k as keyof typeof parsed]).toBe(v);
    if (!('photographer' in expected)) expect(parsed?.photographer).toBeUndefined();
  });

  it('keeps the raw text of unknown formats and nothing else', () => {
    expect(parseCredit('courtesy of the family')).toEqual({ raw: 'courtesy of the family' });
    expect(parseCredit('   ')).toBeUndefined();
    expect(parseCredit(undefined)).toBeUndefined();
  });

  it('canonicalises agency spellings', () => {
    expect(canonicalAgency('The Associated Press')).toBe('AP');
    expect(canonicalAgency('REUTERS')).toBe('Reuters');
    expect(canonicalAgency('Canadian Press')).toBe('The Canadian Press');
    expect(canonicalAgency('Mugwum Press')).toBeUndefined();
  });
});

describe('captionCredit', () => {
  it.each([
    [
      'Tom Cruise is lowered … in Saint-Denis, France. (AP Photo/Natacha Pisarenko)',
      'AP Photo/Natacha Pisarenko',
    ],
    [
      'Flagbearers parade … in Saint-Denis, France. THE CANADIAN PRESS/AP-Dita Alangkara',
      'THE CANADIAN PRESS/AP-Dita Alangkara',
    ],
    [
      '… Germany, February 12, 2020. REUTERS/Wolfgang Rattay/File Photo',
      'REUTERS/Wolfgang Rattay/File Photo',
    ],
    ['… in the points race. Photo: Jan Woitas/dpa', 'Photo: Jan Woitas/dpa'],
    [
      'Fans cheer in Paris, France. (Photo by FRANCK FIFE/AFP via Getty Images)',
      'Photo by FRANCK FIFE/AFP via Getty Images',
    ],
    ['Players shake hands in Berlin. EPA-EFE/FILIP SINGER', 'EPA-EFE/FILIP SINGER'],
  ])('finds the credit in %s', (caption, credit) => {
    expect(captionCredit(caption)).toBe(credit);
  });

  it('ignores parentheses and slashes that are not credits', () => {
    expect(captionCredit('The score was 2/1 (after extra time)')).toBeUndefined();
    expect(captionCredit('A quiet street in the old town.')).toBeUndefined();
    expect(captionCredit(undefined)).toBeUndefined();
  });
});

describe('formatCreditLine', () => {
  it.each([
    ['AP', 'Natacha Pisarenko', 'AP Photo/Natacha Pisarenko'],
    ['REUTERS', 'Wolfgang Rattay', 'REUTERS/Wolfgang Rattay'],
    ['AFP', 'Franck Fife', 'Franck Fife/AFP'],
    ['Getty Images', 'Ezra Shaw', 'Ezra Shaw/Getty Images'],
    ['The Canadian Press', 'Sean Kilpatrick', 'THE CANADIAN PRESS/Sean Kilpatrick'],
    ['dpa', 'Jan Woitas', 'Jan Woitas/dpa'],
    ['EPA', 'Filip Singer', 'EPA/FILIP SINGER'],
    ['Mugwum Press', 'Julie Doe', 'Julie Doe/Mugwum Press'],
    [undefined, 'MARCO VILLANTI', 'MARCO VILLANTI'],
    ['AP', undefined, 'AP'],
  ])('%s + %s = %s', (credit, photographer, expected) => {
    expect(formatCreditLine(credit, photographer)).toBe(expected);
  });
});
