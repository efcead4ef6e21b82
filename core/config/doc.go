// Package config loads Brummer's configuration: defaults, then
// .brummer.toml at the workspace root, then JSON options from the editor
// (initializationOptions, didChangeConfiguration) with the same key names.
// Unknown keys are reported as warnings; bad values are errors naming the
// file, line, key and allowed values. Values are plain data, safe to copy
// (Clone for a deep copy).
package config
