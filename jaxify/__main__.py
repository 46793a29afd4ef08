from jaxify.cli import main

main()
