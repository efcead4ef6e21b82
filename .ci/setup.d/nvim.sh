# The Neovim plugin's tests run in Debian's Neovim (0.7.2 on bookworm).
apt_install neovim
