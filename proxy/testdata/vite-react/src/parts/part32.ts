import { part33 } from "./part33";
// One of the many small modules of a real page (a load has to fetch them all).
export function part32(): number {
  return part33() + 32;
}
