# VS Code extension: the end-to-end test's host, code-server under Node 24
# from the npm registry (editors/vscode/test/e2e-host), whose postinstall
# builds VS Code's native modules against these Debian libraries.
apt_install libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev python3 make g++ pkg-config
bash editors/vscode/test/e2e-host/install.sh
