export function run(a) {
	if (a) {
		return eval("1") + this;
	}
}
