from gk_desktop.app import main

raise SystemExit(main())
