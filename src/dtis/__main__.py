from dtis.cli import main

main()
