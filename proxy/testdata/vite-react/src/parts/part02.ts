import { part03 } from "./part03";
// One of the many small modules of a real page (a load has to fetch them all).
export function part02(): number {
  return part03() + 2;
}
