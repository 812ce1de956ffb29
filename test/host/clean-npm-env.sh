# Sourced by the set-up scripts. clean_npm CMD... runs CMD without the outer npm's environment: under
# `npm run`, npm_config_user_agent names the outer Node (20), and code-server's postinstall reads the Node
# version from it and refuses; the other npm_config_* / npm_package_* / npm_lifecycle_* variables would
# likewise steer an inner `npm install`. With them removed the set-up behaves the same under `npm run`,
# under CI and from a shell. Assignments may follow before CMD (as with env): clean_npm A=1 npm install.
clean_npm() {
  local unset=() v
  for v in $(compgen -e); do
    case "$v" in npm_*|NPM_*|INIT_CWD|NODE_OPTIONS) unset+=(-u "$v") ;; esac
  done
  env "${unset[@]}" "$@"
}
