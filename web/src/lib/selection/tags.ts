/**
 * The selection bar's tag sheet, minus the UI: suggestions for a typed name from the
 * library's tags, and the tags the selected photos carry (what can be taken off them).
 */

export interface TagChoice {
  id: string;
  name: string;
  /** Photos of the library carrying it (suggestions) or of the selection (removal). */
  count: number;
}

export interface CarriedTag {
  id: string;
  name: string;
  type: string;
}

/** Tag types the bulk mutations leave alone (faces own people; albums have their own sheet). */
const NOT_REMOVABLE = new Set(['PERSON', 'ALBUM']);

const fold = (s: string): string => s.normalize('NFKC').toLocaleLowerCase().trim();

/** The name as the server will store it: spaces folded. */
export function cleanTagName(name: string): string {
  return name.split(/\s+/).filter(Boolean).join(' ');
}

/**
 * Existing tags matching what was typed: names starting with it first, then names with a
 * word starting with it, then names containing it; by count within each; at most `limit`.
 * Nothing typed: the most used tags.
 */
export function suggestTags(tags: readonly TagChoice[], typed: string, limit = 8): TagChoice[] {
  const q = fold(typed);
  const rank = (name: string): number => {
    const n = fold(name);
    if (!q) return 0;
    if (n.startsWith(q)) return 0;
    if (n.split(/\s+/).some((word) => word.startsWith(q))) return 1;
    return n.includes(q) ? 2 : -1;
  };
  return tags
    .map((tag) => ({ tag, rank: rank(tag.name) }))
    .filter((t) => t.rank >= 0)
    .sort((a, b) => a.rank - b.rank || b.tag.count - a.tag.count
      || a.tag.name.localeCompare(b.tag.name))
    .slice(0, limit)
    .map((t) => t.tag);
}

/** Whether the typed name is exactly an existing tag (case-insensitive): "Add", not "Create". */
export function existingTag(tags: readonly TagChoice[], typed: string): TagChoice | undefined {
  const q = fold(cleanTagName(typed));
  return q ? tags.find((t) => fold(t.name) === q) : undefined;
}

/**
 * The removable tags carried by some of the selected photos, each with how many carry it:
 * most carried first, then by name.
 */
export function carriedTags(photos: readonly { tags: readonly CarriedTag[] }[]): TagChoice[] {
  const found = new Map<string, TagChoice>();
  for (const photo of photos) {
    const seen = new Set<string>();
    for (const tag of photo.tags) {
      if (NOT_REMOVABLE.has(tag.type) || seen.has(tag.id)) continue;
      seen.add(tag.id);
      const entry = found.get(tag.id) ?? { id: tag.id, name: tag.name, count: 0 };
      entry.count += 1;
      found.set(tag.id, entry);
    }
  }
  return [...found.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
