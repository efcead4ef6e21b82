import { part06 } from "./part06";
// One of the many small modules of a real page (a load has to fetch them all).
export function part05(): number {
  return part06() + 5;
}
