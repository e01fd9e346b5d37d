from icap_coder.cli import main

main()
