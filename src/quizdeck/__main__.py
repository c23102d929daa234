from quizdeck.cli import main

main()
