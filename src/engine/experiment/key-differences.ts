/**
 * Where a trained model's key (what it was trained on, as JSON: forecasterKey, generatorKey) differs from the
 * key the form's experiment would give, in words with both values: the reason a model file is refused.
 */

/** The fields of `words` (key field -> its name in words) on which the keys `file` and `form` differ, with both values. */
export function keyDifferences(file: string, form: string, words: Record<string, string>): string {
  const parse = (key: string): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(key);
      return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const [a, b] = [parse(file), parse(form)];
  const shown = (v: unknown) => {
    const text = JSON.stringify(v) ?? 'none';
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  };
  return Object.keys(words)
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${words[k]} (the file's ${shown(a[k])}, the form's ${shown(b[k])})`)
    .join('; ');
}
