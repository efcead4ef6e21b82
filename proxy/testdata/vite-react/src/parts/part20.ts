import { part21 } from "./part21";
// One of the many small modules of a real page (a load has to fetch them all).
export function part20(): number {
  return part21() + 20;
}
