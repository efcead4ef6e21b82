import { part04 } from "./part04";
// One of the many small modules of a real page (a load has to fetch them all).
export function part03(): number {
  return part04() + 3;
}
