/** What choosing a rendition reads: its width, and its size to break ties. */
export interface SizedRendition {
  width: number;
  bytes?: number;
}

/**
 * The one rule for choosing a rendition: the narrowest at least `minWidth` pixels wide, else (none
 * is that wide) the widest. Ties go to the fewer bytes. So `chooseRendition(list)` is the smallest
 * (thumbnails, lists, live feed), `chooseRendition(list, 640)` a cover or page image, and
 * `chooseRendition(list, Infinity)` the largest (a feed's full-size link).
 */
export function chooseRendition<R extends SizedRendition>(
  renditions: readonly R[] | undefined,
  minWidth = 0,
): R | undefined {
  let wide: R | undefined;
  let widest: R | undefined;
  for (const r of renditions ?? []) {
    const bytes = (x: R) => x.bytes ?? 0;
    if (
      r.width >= minWidth &&
      (!wide || r.width < wide.width || (r.width === wide.width && bytes(r) < bytes(wide)))
    )
      wide = r;
    if (!widest || r.width > widest.width || (r.width === widest.width && bytes(r) < bytes(widest)))
      widest = r;
  }
  return wide ?? widest;
}
