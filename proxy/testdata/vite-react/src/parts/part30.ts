import { part31 } from "./part31";
// One of the many small modules of a real page (a load has to fetch them all).
export function part30(): number {
  return part31() + 30;
}
