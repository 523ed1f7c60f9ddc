/**
 * exifr turns XMP text that looks like a number into a number ("3.10" → 3.1, "007" → 7). For
 * fields where the text itself matters (version strings, names), the literal is read back from the
 * packet in the file: `<ns:Name>text</ns:Name>` or `ns:Name="text"`.
 */
export function literalXmpText(image: Buffer, qualifiedName: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = image.indexOf(qualifiedName, from);
    if (at < 0) return undefined;
    const window = image.toString(
      'utf8',
      Math.max(0, at - 1),
      Math.min(image.length, at + qualifiedName.length + 4096),
    );
    const name = qualifiedName.replace(/[.]/g, '\\.');
    const m =
      window.match(new RegExp(`^<${name}>([^<]*)</${name}>`)) ??
      window.match(new RegExp(`^[\\s]${name}\\s*=\\s*"([^"]*)"`)) ??
      window.match(new RegExp(`^[\\s]${name}\\s*=\\s*'([^']*)'`));
    if (m) return m[1];
    from = at + qualifiedName.length;
  }
}

/** XMP properties read as text whatever they look like. */
export const LITERAL_XMP_PROPERTIES: [namespace: string, name: string][] = [
  ['Iptc4xmpExt', 'AISystemUsed'],
  ['Iptc4xmpExt', 'AISystemVersionUsed'],
  ['Iptc4xmpExt', 'AIPromptInformation'],
  ['Iptc4xmpExt', 'AIPromptWriterName'],
];
