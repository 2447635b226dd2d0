// The field types the shape checks know.
export type Shape = 'string' | 'number' | 'int' | 'bool' | 'object' | 'list' | 'intOrString'
  | { list: Shape } | { map: Shape } | { obj: Record<string, Shape> };
