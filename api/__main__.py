from api.shell.cli import main

main()
