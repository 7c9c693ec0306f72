/**
 * Cut text into pieces of at most `max` characters (code points) on sentence boundaries, with
 * Intl.Segmenter so that Chinese and Japanese sentences are found as well as English ones. A
 * sentence longer than `max` is cut between words; a single word longer than `max` stays whole,
 * so no piece ever ends in the middle of a word.
 */
const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(lang: string, granularity: 'sentence' | 'word'): Intl.Segmenter {
  const key = `${lang}\u0000${granularity}`;
  let made = segmenters.get(key);
  if (!made) {
    made = new Intl.Segmenter(lang, { granularity });
    segmenters.set(key, made);
  }
  return made;
}

/** Length in code points, so that a character outside the BMP counts once. */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Pack consecutive segments into pieces of at most `max`; a segment too long on its own is `tooLong`'s to cut. */
function pack(segments: Iterable<string>, max: number, tooLong: (segment: string) => string[]): string[] {
  const pieces: string[] = [];
  let current = '';
  let currentLength = 0;
  const close = () => {
    if (current.trim()) pieces.push(current.trim());
    current = '';
    currentLength = 0;
  };
  for (const segment of segments) {
    const length = charLength(segment.trimEnd());
    if (currentLength + length <= max) {
      current += segment;
      currentLength += charLength(segment);
      continue;
    }
    close();
    if (length <= max) {
      current = segment;
      currentLength = charLength(segment);
    } else {
      pieces.push(...tooLong(segment));
    }
  }
  close();
  return pieces;
}

function words(text: string, lang: string, max: number): string[] {
  const segments = [...segmenter(lang, 'word').segment(text)].map((s) => s.segment);
  // A single word longer than max cannot be cut: it becomes a piece of its own.
  return pack(segments, max, (word) => [word]);
}

export function splitText(text: string, lang: string, max: number): string[] {
  if (charLength(text) <= max) return text.trim() ? [text.trim()] : [];
  const sentences = [...segmenter(lang, 'sentence').segment(text)].map((s) => s.segment);
  return pack(sentences, max, (sentence) => words(sentence, lang, max));
}
