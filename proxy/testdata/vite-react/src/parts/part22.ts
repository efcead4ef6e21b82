import { part23 } from "./part23";
// One of the many small modules of a real page (a load has to fetch them all).
export function part22(): number {
  return part23() + 22;
}
