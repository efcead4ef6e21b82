import { part13 } from "./part13";
// One of the many small modules of a real page (a load has to fetch them all).
export function part12(): number {
  return part13() + 12;
}
