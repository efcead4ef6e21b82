// The page throws this once it has loaded.
export function checkStartup(query: string): void {
  const mode: string = query.length > 100 ? "long" : "short";
  if (mode !== "") {
    throw new TypeError(`startup check failed in ${mode} mode`); // @at load new
  }
}
