interface Settings {
  theme: string;
}

// An async function that fails: an unhandled rejection.
export async function loadSettings(): Promise<Settings> {
  await Promise.resolve();
  throw new SyntaxError("settings are not valid JSON"); // @at rejection new
}
