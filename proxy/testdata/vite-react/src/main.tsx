import { createRoot } from "react-dom/client";
import { App } from "./App";
import { loadSettings } from "./settings";
import { checkStartup } from "./startup";
import { part00 } from "./parts/part00";

createRoot(document.getElementById("root")!).render(<App />);

// Errors on load: a throw in a timer, a rejected promise.
setTimeout(() => {
  checkStartup(window.location.search); // @at load-outer checkStartup
}, 0);
loadSettings();
document.title += ` (${part00()})`;
