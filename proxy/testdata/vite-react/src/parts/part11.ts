import { part12 } from "./part12";
// One of the many small modules of a real page (a load has to fetch them all).
export function part11(): number {
  return part12() + 11;
}
