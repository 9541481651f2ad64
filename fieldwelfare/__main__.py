from fieldwelfare.cli import main

main()
