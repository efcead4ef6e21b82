export interface Greeting {
  name: string;
  times: number;
}

export function greet(g: Greeting): string {
  return `hello ${g.name}`.repeat(g.times);
}
