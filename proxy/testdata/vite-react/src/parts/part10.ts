import { part11 } from "./part11";
// One of the many small modules of a real page (a load has to fetch them all).
export function part10(): number {
  return part11() + 10;
}
