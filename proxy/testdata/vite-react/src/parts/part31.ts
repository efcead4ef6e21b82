import { part32 } from "./part32";
// One of the many small modules of a real page (a load has to fetch them all).
export function part31(): number {
  return part32() + 31;
}
