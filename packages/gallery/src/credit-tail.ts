/**
 * The credit at the tail of a caption ("(AP Photo/Name)", "REUTERS/Name", "Photo: Name/dpa"), so
 * alt text leaves it out. The metadata package parses credits fully; this only needs to find one.
 */
export function captionCredit(caption: string): string | undefined {
  const paren = caption.match(/\(([^()]{2,120})\)\s*\.?$/);
  if (paren && /\/|\bvia\b|\bphoto\b/i.test(paren[1] as string)) return paren[1];
  const tail = caption.match(
    /(?:^|[.!?"”]\s+)((?:[Pp]hoto\s*:\s*)?[A-Z][A-Za-z0-9 &'-]{1,40}\/[^\n]{1,120}?)\s*\.?$/,
  );
  return tail?.[1];
}
