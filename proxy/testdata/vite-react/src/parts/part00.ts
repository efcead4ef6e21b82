import { part01 } from "./part01";
// One of the many small modules of a real page (a load has to fetch them all).
export function part00(): number {
  return part01() + 0;
}
