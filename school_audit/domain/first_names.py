"""Common first names in England, lower case: the privacy check's hint that a word is a name.

Used to decide whether a capitalised word after "pupil", "child", "called" … is a name rather
than a term like "Child Protection", and whether two capitalised words are a person's full name
("Jamie Smith"); it never leaves the machine.
"""

COMMON_FIRST_NAMES = frozenset(
    """
    aaliyah aaron abdul abigail adam aiden aisha alex alexander alfie alice amber amelia amelie amir
    amy ana anna annabelle archie aria arlo arthur ava ayaan bella ben benjamin bethany billy bobby
    bonnie caleb callum cameron charlie charlotte chloe christopher clara connor daisy daniel darcy
    david dexter dylan eden edward eleanor elijah eliza ella ellie elliot elsie emilia emily emma
    erin ethan eva evelyn evie ezra faith felix florence finley finn frankie freddie freya gabriel
    george georgia grace hallie hannah harley harper harrison harry harvey hazel henry holly hugo
    ibrahim imogen isaac isabel isabella isabelle isla ivy jack jacob jake james jasmine jaxon jayden
    jamie jenson jessica joseph joshua jude julia kai katie kayden keira layla leah leo leon lewis liam
    lily lola louie louis luca lucas lucy luna lydia maisie maria mason matilda matthew max maya
    megan mia michael millie mohammed mohammad muhammad molly nancy nathan noah oakley olivia ollie
    oliver oscar ottilie paige penny penelope phoebe poppy reggie reuben riley robert rory rose rosie ruby
    ryan sam samuel sara sarah scarlett sebastian sienna sofia sophia sophie stanley summer teddy
    theo theodore thomas toby tom tommy tyler valentina violet willow william yusuf zac zachary zara zoe
    """.split()
)
