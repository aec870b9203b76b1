from congdoan.cli import main

main()
