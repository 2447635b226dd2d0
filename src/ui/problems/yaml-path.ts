// Finds the line of a YAML path (spec.http[0].route[1].destination.subset) in a YAML text. Pure.
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

/** `spec.http[0].route[1].destination.subset` → ['spec', 'http', 0, 'route', 1, 'destination', 'subset']. */
export function splitYamlPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/**
 * 0-based line of the deepest part of `path` present in `text` (the key's line for a map entry, the item's first line
 * for a list item), or undefined when not even the first segment is there.
 */
export function yamlPathLine(text: string, path: string): number | undefined {
  const segs = splitYamlPath(path);
  if (segs.length === 0) return undefined;
  let doc;
  try {
    doc = parseDocument(text, { keepSourceTokens: false });
  } catch {
    return undefined;
  }
  let node: unknown = doc.contents;
  let at: number | undefined;
  for (const seg of segs) {
    if (typeof seg === 'number' && isSeq(node)) {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item?.range) break;
      at = item.range[0];
      node = item;
    } else if (typeof seg === 'string' && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      const key = pair?.key as YamlNode | undefined;
      if (!pair || !key?.range) break;
      at = key.range[0];
      node = pair.value;
    } else break;
  }
  if (at === undefined) return undefined;
  let line = 0;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
