import { part02 } from "./part02";
// One of the many small modules of a real page (a load has to fetch them all).
export function part01(): number {
  return part02() + 1;
}
