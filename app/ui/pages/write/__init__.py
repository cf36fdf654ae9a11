"""The Write page: where people write meditations of their own.

Where each part lives:

    page.py            EditorPage: the open script, opening, saving, leaving; wires the rest
    script_list.py     the left pane: the list of scripts and the buttons for their files
    document_pane.py   the right pane: notices, the placeholder, the open script's view
    file_actions.py    new, copy, rename, delete and its undo, import, export
    draft_keeper.py    unsaved text kept on disk as one types, and offered back after a crash
    hearing.py         hearing a paragraph, playing from the cursor, the rendered length
    catalogue.py       the page's copy of the catalogue, updated file by file
    dialogs.py         every question the page asks (tests replace it), and the notice bars

    script_editor.py   ScriptEditor, the editor widget, made of:
      text_area.py       the text box (problem tooltips; dropped files go to the window)
      highlighter.py     the colours of the script format
      problems.py        problems underlined in the text and listed below it
      insert_bar.py      the insert buttons and what they write
      length_line.py     the estimated and the rendered length
      paragraphs.py      the section and the spoken paragraph at a line
      text_positions.py  parser columns (code points) as Qt positions (UTF-16)
"""
