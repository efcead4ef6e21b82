import { part18 } from "./part18";
// One of the many small modules of a real page (a load has to fetch them all).
export function part17(): number {
  return part18() + 17;
}
